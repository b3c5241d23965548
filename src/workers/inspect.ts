/**
 * The inspect worker's service: reading what the user brings in (an ELF object; later a
 * kernel verifier log) into the plain views the panels render, off the page's thread
 * (an object that needs the kernel's BTF for CO-RE makes the worker fetch and parse
 * 1.7 MB of it).
 */
import type { ServiceSpec } from './protocol';
import type { ObjectView } from '../ui/object/inspect';
import type { ParsedKernelLog } from '../core/trace/kernel-log';
import type { VerifyRequest } from '../ui/services';
import type { Verification } from '../ui/debugger/verify-request';

export interface InspectObjectParams {
  bytes: Uint8Array;
  name: string;
  /** URL of the site root, where `kernel/6.18/*` is served. */
  siteBase: string;
}

export interface InspectMethods {
  object: { params: InspectObjectParams; result: ObjectView; progress: string };
  kernelLog: { params: { text: string }; result: ParsedKernelLog; progress: never };
  verify: { params: { request: VerifyRequest; siteBase: string }; result: Verification; progress: string };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isInspectObjectParams = (v: unknown): v is InspectObjectParams =>
  isObj(v) && v.bytes instanceof Uint8Array && typeof v.name === 'string' && typeof v.siteBase === 'string';

export const isObjectView = (v: unknown): v is ObjectView =>
  isObj(v) && typeof v.name === 'string' && typeof v.size === 'number' && Array.isArray(v.programs) && Array.isArray(v.maps)
  && Array.isArray(v.sections) && Array.isArray(v.symbols) && Array.isArray(v.relocations);

export const isKernelLogParams = (v: unknown): v is { text: string } => isObj(v) && typeof v.text === 'string';

export const isParsedKernelLog = (v: unknown): v is ParsedKernelLog =>
  isObj(v) && Array.isArray(v.lines) && v.kinds instanceof Uint8Array && v.stepOfLine instanceof Int32Array && Array.isArray(v.steps)
  && (v.level === 1 || v.level === 2) && v.kinds.length === v.lines.length && v.stepOfLine.length === v.lines.length;

export const isVerifyParams = (v: unknown): v is { request: VerifyRequest; siteBase: string } => {
  if (!isObj(v) || typeof v.siteBase !== 'string' || !isObj(v.request)) return false;
  const r = v.request;
  if (typeof r.name !== 'string') return false;
  if (r.kind === 'asm') return typeof r.text === 'string';
  return r.kind === 'object' && r.bytes instanceof Uint8Array && Number.isInteger(r.program) && (r.program as number) >= 0;
};

export const isVerification = (v: unknown): v is Verification =>
  isObj(v) && isParsedKernelLog(v.log) && (v.listings === null || (isObj(v.listings) && Array.isArray(v.listings.xlated)));

export const inspectSpec: ServiceSpec<InspectMethods> = {
  name: 'inspect',
  methods: {
    object: { params: isInspectObjectParams, result: isObjectView },
    kernelLog: { params: isKernelLogParams, result: isParsedKernelLog },
    verify: { params: isVerifyParams, result: isVerification },
  },
};
