/**
 * Inputs slice: what the user brought in that is not a source file, kept as it came (an
 * imported object's bytes, an imported kernel log's text), so it is saved and restored
 * with the workspace. What the core makes of them lives in the build slice.
 */
import type { StateCreator } from 'zustand';
import type { SavedKernelLog, SavedObject } from '../persist';
import type { PlaygroundState } from '../create-store';

export interface InputsSlice {
  importedObject: SavedObject | null;
  kernelLog: SavedKernelLog | null;
  setImportedObject(o: SavedObject | null): void;
  setKernelLog(l: SavedKernelLog | null): void;
}

export const createInputsSlice: StateCreator<PlaygroundState, [], [], InputsSlice> = (set) => ({
  importedObject: null,
  kernelLog: null,
  setImportedObject: (importedObject) => set({ importedObject }),
  setKernelLog: (kernelLog) => set({ kernelLog }),
});
