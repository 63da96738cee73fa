import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { cx } from './cx';

/** The form state fields need: what was typed and each field's problem (see @studio/ui/forms). */
export interface FieldState {
  fieldErrors?: Partial<Record<string, string>>;
  values?: Partial<Record<string, string>>;
}

interface Common {
  name: string;
  label: ReactNode;
  /** A line under the label saying what to type. */
  hint?: ReactNode;
  /** The form's state: the field's error and the value typed before a refused submit. */
  state?: FieldState;
  /** An error given directly (wins over state). */
  error?: string | null;
  defaultValue?: string | null;
  className?: string;
}

function fieldParts({ name, state, error, defaultValue, hint }: Common) {
  const id = `field-${name}`;
  const problem = error ?? state?.fieldErrors?.[name] ?? null;
  const value = state?.values?.[name] ?? defaultValue ?? '';
  const described = [hint ? `${id}-hint` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return {
    id,
    problem,
    value,
    // key: a refused submit renders again with what was typed (defaultValue alone would not).
    control: { id, name, key: value, defaultValue: value, 'aria-invalid': problem ? true : undefined, 'aria-describedby': described },
  };
}

function Frame({ id, label, hint, problem, className, children }: { id: string; label: ReactNode; hint?: ReactNode; problem: string | null; className?: string; children: ReactNode }) {
  return (
    <div className={cx('mb-4', className)}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="m-0 text-sm text-muted">
          {hint}
        </p>
      )}
      {children}
      {problem && (
        <p id={`${id}-error`} role="alert" className="m-0 mt-1 text-sm text-danger" data-testid={`error-${id.slice('field-'.length)}`}>
          {problem}
        </p>
      )}
    </div>
  );
}

/** A labelled input, its hint, and its error under it (announced, and tied to the input). */
export function TextField(props: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'defaultValue' | 'className'>) {
  const { name: _n, label, hint, state: _s, error: _e, defaultValue: _d, className, ...rest } = props;
  const { id, problem, control } = fieldParts(props);
  const { key, ...attrs } = control;
  return (
    <Frame id={id} label={label} hint={hint} problem={problem} className={className}>
      <input key={key} type="text" {...rest} {...attrs} />
    </Frame>
  );
}

export function TextareaField(props: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name' | 'defaultValue' | 'className'>) {
  const { name: _n, label, hint, state: _s, error: _e, defaultValue: _d, className, ...rest } = props;
  const { id, problem, control } = fieldParts(props);
  const { key, ...attrs } = control;
  return (
    <Frame id={id} label={label} hint={hint} problem={problem} className={className}>
      <textarea key={key} rows={3} {...rest} {...attrs} />
    </Frame>
  );
}

export function SelectField(props: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name' | 'defaultValue' | 'className'> & { children: ReactNode }) {
  const { name: _n, label, hint, state: _s, error: _e, defaultValue: _d, className, children, ...rest } = props;
  const { id, problem, control } = fieldParts(props);
  const { key, ...attrs } = control;
  return (
    <Frame id={id} label={label} hint={hint} problem={problem} className={className}>
      <select key={key} {...rest} {...attrs}>
        {children}
      </select>
    </Frame>
  );
}

/** A form's message for the whole form: its error (announced) or what it did. */
export function FormMessage({ state }: { state: { ok?: string; error?: string } }) {
  if (state.error)
    return (
      <p role="alert" className="my-3 rounded-lg border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger-soft-fg" data-testid="form-error">
        {state.error}
      </p>
    );
  if (state.ok)
    return (
      <p role="status" className="my-3 rounded-lg bg-success-soft px-3 py-2 text-sm text-success-soft-fg" data-testid="form-ok">
        {state.ok}
      </p>
    );
  return null;
}
