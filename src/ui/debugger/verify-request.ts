/**
 * "Verify": bpfplay's verifier on an assembly file or an object's program, at log level
 * 2, its log read back by the kernel-log parser, so the debugger shows our verifier and
 * a real kernel's log the same way.
 */
import { loadElfObject, loadInput, parseKernelLog, verifyProgram, type ParsedKernelLog } from '../../core/index';
import type { VerifyRequest } from '../services';
import { programListings, type ProgramListings } from './listings';

export interface Verification {
  log: ParsedKernelLog;
  /** For an accepted program: its xlated and jited listings. */
  listings: ProgramListings | null;
  /** Why there are no listings for an accepted program (a rewrite bpfplay does not do). */
  listingError?: string;
}

export function verifyForDebugger(request: VerifyRequest, shouldCancel?: () => boolean): Verification {
  const obj = request.kind === 'asm'
    ? loadInput(new TextEncoder().encode(request.text), request.name)
    : loadElfObject(request.bytes, { objectName: request.name.replace(/\..*$/, '') });
  const prog = request.kind === 'asm' ? 0 : request.program;
  if (!obj.programs[prog]) throw new Error(`no program #${prog} in ${request.name}`);
  const result = verifyProgram(obj, prog, { logLevel: 2, trace: false, shouldCancel });
  const parsed = parseKernelLog(result.log);
  parsed.program = obj.programs[prog].name;
  const out: Verification = { log: parsed, listings: null };
  if (result.accepted) {
    try {
      out.listings = programListings(obj, obj.programs[prog]);
    } catch (e) {
      out.listingError = (e as Error).message;
    }
  }
  return out;
}
