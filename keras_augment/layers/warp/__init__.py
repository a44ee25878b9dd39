"""Non-rigid warps: one displacement field per sample, on the geometric path."""
