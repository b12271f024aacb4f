import { apiErrors, isApiErrorCode } from '../../../shared/guardant/codes';
import type { StationErrorCode } from '../../../shared/ipc/result';
import { StationLinkError, StationRequestError } from '../../../shared/ipc/station-api';
import { OUTBOX_WAITING_PREFIX } from '../../../shared/station/outbox-waiting';

export interface ErrorDescription {
  /** What happened, as one sentence in the operator's words: no codes, no developer terms. */
  summary: string;
  /** What the operator can do about it. */
  advice: string;
  /** For support only (shown behind "Details"): the station's code and the server's API code. */
  code: string | null;
  /** For support only: what the station said, verbatim (may hold ECONNREFUSED, field paths…). */
  message: string;
}

interface Words {
  summary: string;
  advice: string;
}

const words: Record<StationErrorCode, Words> = {
  UNKNOWN_CHANNEL: {
    summary: 'This page and the station are different versions.',
    advice: 'Reload the page; if it repeats, call support.',
  },
  FORBIDDEN: {
    summary: 'The station refused this page.',
    advice: 'Close this page and open the station again.',
  },
  INVALID_REQUEST: {
    summary: 'The station could not accept what was sent.',
    advice: 'Check what you entered and try again; if it repeats, call support.',
  },
  SERVER_UNREACHABLE: {
    summary: 'The Guardant server cannot be reached.',
    advice:
      'Check the network and the server address in Settings. Meanwhile the station works from its cache, and work you start waits in the Queue until the server is back.',
  },
  SERVER_REJECTED: {
    summary: 'The Guardant server refused it.',
    advice: 'Check the order and the keys, then try again.',
  },
  BAD_SERVER_RESPONSE: {
    summary: 'The server answered something the station does not understand.',
    advice: 'Check the server address in Settings, then retry; if it repeats, call support.',
  },
  NOT_CACHED: {
    summary:
      'This is not available offline yet: the station has not fetched it while the server was reachable.',
    advice: 'Try again once the header shows Online.',
  },
  LICENSE_MANAGER_UNAVAILABLE: {
    summary: 'The Guardant license manager is not answering.',
    advice: 'Check that it runs on this machine and that the hub is connected, then try again.',
  },
  NOT_SIMULATED: {
    summary: 'This works on a simulated bench only, and this station has a real one.',
    advice: 'Use the real keys on the hub instead.',
  },
  NOT_FOUND: {
    summary: 'It is not there any more.',
    advice: 'Refresh the list and pick again.',
  },
  CONFLICT: {
    summary: 'It changed meanwhile.',
    advice: 'Look at its current state and try again.',
  },
  INTERNAL: {
    summary: 'The station failed unexpectedly.',
    advice: 'Try again; if it repeats, note the time and call support.',
  },
};

/** Invalid requests the operator can cause, in words, by what the station named in its message. */
function invalidRequestWords(message: string): Words | null {
  if (/^serverUrl\b/.test(message)) {
    return {
      summary: 'The server address is not a valid web address.',
      advice:
        'Type the full address starting with http:// or https://, like https://station.example.com, then save again.',
    };
  }
  if (message.startsWith('not plugged in:')) {
    return {
      summary: 'Some of the selected keys are no longer plugged in.',
      advice: 'Plug them back in, or unselect them, then try again.',
    };
  }
  return null;
}

/**
 * Every failed request, in the operator's words: what happened and what to do next. The station's own
 * text and codes are kept for the "Details" disclosure support reads; they are never the headline.
 */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof StationLinkError) {
    return {
      summary: 'The connection to the station was lost.',
      advice:
        'This page reconnects by itself; try again once it says it is connected. If it does not come back, check that the station is still running.',
      code: 'STATION_LINK',
      message: error.message,
    };
  }
  if (error instanceof StationRequestError) {
    const apiCode = error.apiCode;
    const base =
      (error.code === 'INVALID_REQUEST' ? invalidRequestWords(error.message) : null) ??
      words[error.code] ??
      words.INTERNAL;
    // The server's catalogue says why it refused in words; that is worth the headline.
    const serverWords =
      apiCode !== undefined && isApiErrorCode(apiCode) ? apiErrors[apiCode].description : null;
    const summary =
      serverWords && (error.code === 'SERVER_REJECTED' || error.code === 'LICENSE_MANAGER_UNAVAILABLE')
        ? `${base.summary.replace(/\.$/, '')}: ${serverWords.replace(/\.$/, '')}.`
        : base.summary;
    return {
      summary,
      advice: base.advice,
      code: apiCode !== undefined ? `${error.code} ${apiCode}` : error.code,
      message: error.message,
    };
  }
  return {
    summary: 'Something unexpected went wrong.',
    advice: 'Try again; if it repeats, reload the page and call support.',
    code: null,
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * The text the station stored about a failed attempt (an outbox item's `lastError`, the connection's
 * last error): written for the log, so it may read "Server unreachable: connect ECONNREFUSED …" or
 * "Order not found (code 10168)". The operator gets a sentence; the stored text goes to details.
 */
export function describeStoredError(text: string): { summary: string; message: string } {
  const apiCode = /\(code (\d+)\)$/.exec(text);
  let summary: string;
  // Not a failure: the station waits on purpose and has said why in the operator's words already.
  if (text.startsWith(OUTBOX_WAITING_PREFIX)) summary = text;
  else if (/^Server unreachable:/i.test(text)) summary = 'The Guardant server could not be reached.';
  else if (/^Bad server response:/i.test(text))
    summary = 'The server answered something the station does not understand.';
  else if (/^License manager:/i.test(text)) summary = 'The Guardant license manager did not answer.';
  else if (/^ActionResult \d+: /.test(text)) summary = text.replace(/^ActionResult \d+: /, '');
  else if (apiCode) summary = `The Guardant server refused it: ${text.replace(/\s*\(code \d+\)$/, '')}.`;
  else summary = 'The attempt failed.';
  return { summary: summary.replace(/\.\.$/, '.'), message: text };
}
