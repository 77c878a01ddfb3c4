// Imports from the host (module "env"). Called from this hart's own thread.

/** Physical load outside RAM/ROM (devices, HTIF). size = 1, 2, 4 or 8. */
@external("env", "mmioLoad")
export declare function mmioLoad(paddr: u64, size: i32): u64;

/** Physical store outside RAM/ROM (devices, HTIF). */
@external("env", "mmioStore")
export declare function mmioStore(paddr: u64, size: i32, value: u64): void;

/** Current machine timer value (10 MHz). */
@external("env", "mtime")
export declare function mtime(): u64;
