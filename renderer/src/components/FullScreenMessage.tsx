import type { ReactNode } from 'react';

/** Shown instead of the app when there is no station to talk to. */
export function FullScreenMessage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="fullscreen-message" role="alert" aria-labelledby="fullscreen-title">
      <h1 id="fullscreen-title">{title}</h1>
      {children}
    </main>
  );
}
