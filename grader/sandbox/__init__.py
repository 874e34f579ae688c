"""Run untrusted student code: a pool of pre-forked, confined workers.

    with SandboxPool(size=2) as pool:
        print(pool.capabilities().summary())
        result = pool.run(source, "hessian", calls, timeout=5.0)

Modules: `pool` (the grader-side API), `zygote` (the worker process), `confinement`, `landlock`
and `syscall_filter` (the layers), `harness` (trusted code in the child), `protocol` (frames),
`values` and `expression` (data crossing the boundary), `outcome` and `results` (the verdicts).
The worker imports only the child-side modules, through stubs: importing this package is for the
grader process.
"""

from grader.sandbox.limits import Limits
from grader.sandbox.pool import SandboxError, SandboxPool
from grader.sandbox.results import Capabilities, CallOutcome, ErrorInfo, Layer, Parameter, RunResult
from grader.sandbox.values import function_argument, number_argument, tensor_argument

__all__ = [
    "Capabilities", "CallOutcome", "ErrorInfo", "Layer", "Limits", "Parameter", "RunResult",
    "SandboxError", "SandboxPool", "function_argument", "number_argument", "tensor_argument",
]
