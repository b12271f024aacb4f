/**
 * One line on the Add and Write screens saying what each does: a run (Write) adds the keys to the order
 * and writes their licences; Add only adds them, for when writing comes later.
 */
export function RunKindNote({ screen }: { screen: 'add' | 'write' }) {
  return (
    <p className="run-kind-note muted">
      {screen === 'write'
        ? 'Write licences adds the keys to the order and writes them, in one run. (Add to order only adds them.)'
        : 'Add to order only adds the keys to the order; nothing is written into them. To add and write in one run, use Write licences.'}
    </p>
  );
}
