/**
 * Which workspace a page opens, and where it is saved.
 *
 *  - No share link: the user's own workspace, slot `main`.
 *  - A share link: the link's workspace, in a slot of its own (`shared:<id>`), so opening
 *    a link never overwrites the user's work, and edits to the shared workspace survive a
 *    reload of the same link. The page offers "Back to my workspace" and "Keep this as my
 *    workspace"; keeping moves the user's previous workspace to slot `previous`, which
 *    "Restore my previous workspace" swaps back: both are kept.
 *
 * Pure logic over a storage (tested with the memory backend); the page wires it up.
 */
import { decodeShare, isShareFragment, shareId, type SharedWorkspace } from './share';

export interface SlotStorage {
  read(slot: string): Promise<string | null>;
  write(slot: string, json: string): Promise<void>;
  remove(slot: string): Promise<void>;
}

export const MAIN_SLOT = 'main';
export const PREVIOUS_SLOT = 'previous';
const SHARED_INDEX_SLOT = 'shared-index';
/** Shared workspaces kept (with their edits) before the oldest is dropped. */
export const MAX_SHARED_SLOTS = 8;

export type WorkspaceOpening =
  | {
      kind: 'main';
      slot: string;
      saved: string | null;
      /** A share link was given but could not be read: why. */
      linkProblem?: string;
    }
  | {
      kind: 'shared';
      slot: string;
      /** The shared workspace as saved with the user's edits, when this link was opened before. */
      saved: string | null;
      /** The link's workspace (used when nothing is saved for it). */
      workspace: SharedWorkspace;
      /** Files of the link that were not taken (bad names). */
      dropped: number;
    };

export async function openWorkspace(storage: SlotStorage, hash: string): Promise<WorkspaceOpening> {
  if (!isShareFragment(hash)) return { kind: 'main', slot: MAIN_SLOT, saved: await storage.read(MAIN_SLOT) };
  let decoded;
  try {
    decoded = await decodeShare(hash);
  } catch (e) {
    return { kind: 'main', slot: MAIN_SLOT, saved: await storage.read(MAIN_SLOT), linkProblem: (e as Error).message };
  }
  const id = shareId(hash);
  const slot = `shared:${id}`;
  await rememberShared(storage, id);
  return {
    kind: 'shared',
    slot,
    saved: await storage.read(slot),
    workspace: decoded.workspace,
    dropped: decoded.linkFiles - decoded.workspace.files.length,
  };
}

/** Notes a shared slot as the most recent one; drops the oldest beyond MAX_SHARED_SLOTS. */
async function rememberShared(storage: SlotStorage, id: string): Promise<void> {
  let ids: string[] = [];
  try {
    const v: unknown = JSON.parse((await storage.read(SHARED_INDEX_SLOT)) ?? '[]');
    if (Array.isArray(v)) ids = v.filter((x): x is string => typeof x === 'string' && /^[0-9a-f]{16}$/.test(x));
  } catch {
    // A damaged index only costs old shared slots their place in line.
  }
  ids = [...ids.filter((x) => x !== id), id];
  while (ids.length > MAX_SHARED_SLOTS) await storage.remove(`shared:${ids.shift()}`).catch(() => undefined);
  await storage.write(SHARED_INDEX_SLOT, JSON.stringify(ids)).catch(() => undefined);
}

/**
 * Makes the shared workspace (its saved JSON) the user's own; the user's workspace so far
 * goes to `previous`.
 */
export async function keepShared(storage: SlotStorage, sharedJson: string, now = Date.now()): Promise<void> {
  const mine = await storage.read(MAIN_SLOT);
  if (mine !== null) await storage.write(PREVIOUS_SLOT, restamp(mine, now));
  await storage.write(MAIN_SLOT, restamp(sharedJson, now));
}

/**
 * A saved JSON text with `savedAt` set to now: a workspace moved between slots is the
 * newest thing in its new slot (an older copy of that slot must not win on the next read).
 */
export function restamp(json: string, now = Date.now()): string {
  try {
    const v: unknown = JSON.parse(json);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return JSON.stringify({ ...v, savedAt: now });
  } catch {
    // Damaged: moved as it is; reading it will say so.
  }
  return json;
}

/** Swaps `main` and `previous`; false when there is no previous workspace. */
export async function swapPrevious(storage: SlotStorage, now = Date.now()): Promise<boolean> {
  const previous = await storage.read(PREVIOUS_SLOT);
  if (previous === null) return false;
  const mine = await storage.read(MAIN_SLOT);
  await storage.write(MAIN_SLOT, restamp(previous, now));
  if (mine !== null) await storage.write(PREVIOUS_SLOT, restamp(mine, now));
  else await storage.remove(PREVIOUS_SLOT);
  return true;
}
