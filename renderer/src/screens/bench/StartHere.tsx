/**
 * What an empty or new bench says: where to start, in the order an operator works. A run (Write
 * licences) both adds and writes; adding alone stays possible but comes second.
 */
export function StartHere({ simulated, onOrders }: { simulated: boolean; onOrders(): void }) {
  return (
    <section className="start-here panel" aria-labelledby="start-here-title">
      <h2 id="start-here-title">Start here</h2>
      <ol>
        <li>
          <strong role="status">Plug keys into the hub.</strong>{' '}
          {simulated
            ? 'On this simulated bench: Plug keys in the Simulator below.'
            : 'They appear here within seconds, each with its USB port.'}
        </li>
        <li>
          <strong>Scan or type an order number</strong> on the Write screen, or pick a Submitted hardware
          order in{' '}
          <button type="button" onClick={onOrders}>
            Orders
          </button>
          .
        </li>
        <li>
          <strong>Run: Write licences.</strong> It adds the ticked keys to the order and writes their licences
          in one go, then checks each key.
        </li>
      </ol>
      <p className="muted">Add to order (without writing) is there too, for keys that are written later.</p>
    </section>
  );
}
