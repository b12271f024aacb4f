import type { AutoKeyOutcome } from '../../../../shared/station/auto-mode';

/**
 * Short tones for auto mode, so an operator with eyes on the keys hears each result: a rising pair for
 * written, a low falling pair for failed, one low tone for a key left alone. WebAudio, no sound files.
 */
type Tone = { hz: number; ms: number; type: OscillatorType };

export const TONES: Record<'written' | 'failed' | 'flagged', Tone[]> = {
  written: [
    { hz: 880, ms: 90, type: 'sine' },
    { hz: 1320, ms: 120, type: 'sine' },
  ],
  failed: [
    { hz: 330, ms: 180, type: 'square' },
    { hz: 220, ms: 260, type: 'square' },
  ],
  flagged: [{ hz: 440, ms: 220, type: 'triangle' }],
};

let context: AudioContext | null = null;

/** Plays the outcome's tones; silently nothing where the browser has no audio (or refuses it). */
export function playTone(outcome: AutoKeyOutcome): void {
  if (outcome !== 'written' && outcome !== 'failed' && outcome !== 'flagged') return;
  try {
    context ??= new AudioContext();
    // A context made before the operator's first click starts suspended; the toggle's click resumes it.
    if (context.state === 'suspended') void context.resume();
    let at = context.currentTime + 0.01;
    for (const tone of TONES[outcome]) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.type = tone.type;
      osc.frequency.value = tone.hz;
      // A short fade in and out: no click at either end.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.2, at + 0.01);
      gain.gain.linearRampToValueAtTime(0, at + tone.ms / 1000);
      osc.connect(gain).connect(context.destination);
      osc.start(at);
      osc.stop(at + tone.ms / 1000);
      at += tone.ms / 1000 + 0.03;
    }
  } catch {
    // No audio device: the screen still shows every result.
  }
}

/** Called from the operator's click that turns auto mode on, when browsers allow audio to start. */
export function unlockAudio(): void {
  try {
    context ??= new AudioContext();
    void context.resume();
  } catch {
    // As above.
  }
}
