import { useState } from 'react';
import type { AttachedKey } from '../../../../shared/station/models';
import { parseDongleId } from '../../components/format';
import { Field } from '../../components/Field';

/** Pick a key from the bench, or type (or scan) any key id. */
export function KeyPicker({ keys, onPick }: { keys: AttachedKey[]; onPick(dongleId: number): void }) {
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <div className="form-row">
      <Field label="Key on the bench">
        <select
          value=""
          onChange={(e) => {
            if (e.target.value) onPick(Number(e.target.value));
          }}
          disabled={!keys.length}
        >
          <option value="">{keys.length ? 'Choose…' : 'No keys plugged'}</option>
          {keys.map((k) => (
            <option key={k.dongleId} value={k.dongleId}>
              #{k.plugOrder} · {k.dongleId}
            </option>
          ))}
        </select>
      </Field>
      <form
        className="form-row"
        aria-label="Key by id"
        onSubmit={(e) => {
          e.preventDefault();
          const id = parseDongleId(text);
          setInvalid(id === null);
          if (id !== null) onPick(id);
        }}
      >
        <Field label="Key id">
          <input
            className="mono wide-input"
            value={text}
            inputMode="numeric"
            autoComplete="off"
            placeholder="2935208162, -1359759134 or 0xAEF4…"
            aria-invalid={invalid}
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <button type="submit">Show key</button>
        {invalid && (
          <span className="error-text" role="alert">
            A key id is a 32-bit number: decimal (signed or not) or 0x hex.
          </span>
        )}
      </form>
    </div>
  );
}
