/** Verifier-corpus records whose kernel retval the VM does not reproduce, with the reason. */
export const KERNEL_RETVAL_EXCEPTIONS: Record<string, string> = {};
