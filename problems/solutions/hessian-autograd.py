import torch


def hessian(f, x):
    """The (n, n) Hessian of the scalar function f at the 1-D tensor x, with autograd."""
    x = x.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(f(x), x, create_graph=True)
    rows = [torch.autograd.grad(gradient[i], x, retain_graph=True)[0] for i in range(x.numel())]
    return torch.stack(rows).detach()
