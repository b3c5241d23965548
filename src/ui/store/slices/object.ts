/**
 * Object slice: what the inspector made of the imported object (`importedObject`, saved
 * as base64 with the workspace). Inspection runs in a worker; a newer import supersedes
 * an older one's result.
 */
import type { StateCreator } from 'zustand';
import type { ObjectView } from '../../object/inspect';
import { base64ToBytes, bytesToBase64 } from '../../workspace/base64';
import type { PlaygroundState } from '../create-store';
import type { Services } from '../../services';

export interface ObjectState {
  status: 'none' | 'loading' | 'ready' | 'failed';
  view: ObjectView | null;
  /** Why inspecting failed as a whole (the worker, not the object). */
  error: string | null;
  /** What the worker is doing ("fetching the kernel BTF"). */
  progress: string | null;
}

/** Objects larger than this are not imported (a BPF object is kilobytes). */
export const MAX_OBJECT_BYTES = 32 * 1024 * 1024;

export interface ObjectSlice {
  object: ObjectState;
  /** Imports an object file: saved with the workspace, inspected, shown. Returns a problem or null. */
  importObject(name: string, bytes: Uint8Array): string | null;
  removeObject(): void;
  /** (Re)inspects the saved object (on start, or to retry). */
  inspectImported(): Promise<void>;
}

/** The slice, inspecting through `services`. */
export const createObjectSlice = (services: Services): StateCreator<PlaygroundState, [], [], ObjectSlice> => (set, get) => {
  // Results of an older import (or of a removed object) are dropped.
  let generation = 0;
  return {
  object: { status: 'none', view: null, error: null, progress: null },
  importObject: (name, bytes) => {
    if (bytes.length > MAX_OBJECT_BYTES) return `${name} is ${(bytes.length / 1048576).toFixed(1)} MB; objects up to ${MAX_OBJECT_BYTES / 1048576} MB are read`;
    set({ importedObject: { name, base64: bytesToBase64(bytes) }, mainView: 'object' });
    void get().inspectImported();
    return null;
  },
  removeObject: () => {
    generation++;
    set((s) => ({
      importedObject: null,
      object: { status: 'none', view: null, error: null, progress: null },
      mainView: s.mainView === 'object' ? 'asm' : s.mainView,
    }));
  },
  inspectImported: async () => {
    const o = get().importedObject;
    const mine = ++generation;
    if (!o) {
      set({ object: { status: 'none', view: null, error: null, progress: null } });
      return;
    }
    set((s) => ({ object: { ...s.object, status: 'loading', error: null, progress: null } }));
    try {
      const view = await services.inspectObject(base64ToBytes(o.base64), o.name, (progress) => {
        if (mine === generation) set((s) => ({ object: { ...s.object, progress } }));
      });
      if (mine === generation) set({ object: { status: 'ready', view, error: null, progress: null } });
    } catch (e) {
      if (mine === generation) set((s) => ({ object: { ...s.object, status: 'failed', error: (e as Error).message, progress: null } }));
    }
  },
};
};
