'use server';

import { createApiToken, revokeApiToken } from '@studio/auth';
import { TenancyError } from '@studio/tenancy';
import { revalidatePath } from 'next/cache';
import { permissions } from '~/permissions';
import { pageContext } from '~/product';

export interface CreateTokenState {
  ok?: string;
  error?: string;
  fieldErrors?: { name?: string; scopes?: string };
  values?: { name?: string };
  /** The new token: shown once, in this answer only. */
  created?: { id: string; name: string; token: string; scopes: string[] };
}

/**
 * A new API token of the workspace, with the scopes chosen among the API's that the maker's role
 * may grant (the same rule as POST /api/v1/tokens). The secret is in this answer only.
 */
export async function createToken(_previous: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const ctx = await pageContext('tokens:manage', '/tokens');
  const name = String(form.get('name') ?? '').trim();
  const scopes = [...new Set(form.getAll('scopes').map(String))];
  const values = { name };
  if (name.length < 1 || name.length > 100) return { values, fieldErrors: { name: 'Give the token a name of 1 to 100 characters, e.g. “Accounting sync”.' } };
  const grantable: readonly string[] = permissions.grantable(permissions.tokenScopes, ctx.membership!.role);
  if (scopes.length === 0) return { values, fieldErrors: { scopes: 'Choose at least one scope.' } };
  const refused = scopes.filter((s) => !grantable.includes(s));
  if (refused.length > 0) return { values, fieldErrors: { scopes: `Not a scope you can give a token: ${refused.join(', ')}.` } };
  try {
    const created = await createApiToken(ctx.db, { name, createdBy: ctx.membership!.userId, scopes });
    revalidatePath('/tokens');
    return { ok: `Token “${created.name}” created. Copy it now: it is not shown again.`, created: { id: created.id, name: created.name, token: created.token, scopes: created.scopes } };
  } catch (error) {
    if (TenancyError.is(error)) return { values, error: error.message };
    throw error;
  }
}

export interface RevokeTokenState {
  ok?: string;
  error?: string;
}

/** Revokes a token of this workspace: the API refuses it from the next request on. */
export async function revokeToken(form: FormData): Promise<RevokeTokenState> {
  const ctx = await pageContext('tokens:manage', '/tokens');
  const id = String(form.get('id') ?? '');
  // Scoped to this tenant (RLS and the guard): another workspace's token id is simply not found.
  const revoked = await revokeApiToken(ctx.db, id);
  if (!revoked) return { error: 'No active token with that id here: it may have been revoked already. Reload the page.' };
  revalidatePath('/tokens');
  return { ok: 'Token revoked: the API refuses it from now on.' };
}
