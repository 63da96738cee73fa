'use client';

import { AlertDialog } from 'radix-ui';
import { useState, type ReactNode } from 'react';
import { Button, buttonClass, type ButtonVariant } from '../components/button';
import { SubmitButton } from './submit-button';

/**
 * A destructive action behind a confirmation: the trigger opens a dialog that says what will
 * happen; confirming submits `action` (a server action) with `fields` as hidden inputs. With
 * `typeToConfirm`, the confirm button stays disabled until that text is typed, and the typed text
 * is sent as `confirm` so the server checks it too (a forged POST cannot skip the dialog).
 */
export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  action,
  fields = {},
  typeToConfirm,
  variant = 'danger',
  triggerVariant,
  ...rest
}: {
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  action: (form: FormData) => void | Promise<void>;
  fields?: Record<string, string>;
  typeToConfirm?: string;
  variant?: ButtonVariant;
  triggerVariant?: ButtonVariant;
  'data-testid'?: string;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const matches = typeToConfirm === undefined || typed.trim() === typeToConfirm;
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setTyped('');
      }}
    >
      <AlertDialog.Trigger className={buttonClass(triggerVariant ?? variant, 'md')} data-testid={rest['data-testid']}>
        {trigger}
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <AlertDialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-2xl border border-line bg-surface p-6 text-fg shadow-xl">
          <AlertDialog.Title className="m-0 text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 text-sm text-muted">{description}</div>
          </AlertDialog.Description>
          <form
            action={async (form) => {
              await action(form);
              setOpen(false);
            }}
            className="mt-4"
          >
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            {typeToConfirm !== undefined && (
              <label className="mb-4 text-sm">
                Type <strong className="font-mono">{typeToConfirm}</strong> to confirm
                <input name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="confirm-text" />
              </label>
            )}
            <div className="flex flex-wrap justify-end gap-2">
              <AlertDialog.Cancel asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </AlertDialog.Cancel>
              {matches ? (
                <SubmitButton variant={variant} data-testid="confirm-action">
                  {confirmLabel}
                </SubmitButton>
              ) : (
                <Button type="submit" variant={variant} disabled data-testid="confirm-action">
                  {confirmLabel}
                </Button>
              )}
            </div>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
