import torch


def hessian(f, x):
    x = x.detach().clone().requires_grad_(True)
    (gradient,) = torch.autograd.grad(f(x), x, create_graph=True)
    rows = [torch.autograd.grad(gradient[i], x, retain_graph=True)[0] for i in range(x.numel())]
    return torch.stack(rows)
