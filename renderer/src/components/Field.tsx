import { cloneElement, useId, type ReactElement } from 'react';

/**
 * A control with its label beside it (not around it), so the control's accessible name is the label
 * alone: getByLabel('Model') finds the select, not "Model Time".
 */
export function Field({
  label,
  children,
  grow,
}: {
  label: string;
  children: ReactElement<{ id?: string }>;
  grow?: boolean;
}) {
  const id = useId();
  return (
    <div className={grow ? 'field field-grow' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}
