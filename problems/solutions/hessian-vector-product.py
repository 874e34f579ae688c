import torch


def hvp(f, x, v):
    """H(x) v by double backward: differentiate (grad f . v) with respect to x."""
    x = x.detach().requires_grad_(True)
    (gradient,) = torch.autograd.grad(f(x), x, create_graph=True)
    (product,) = torch.autograd.grad(gradient @ v.to(gradient.dtype), x)
    return product
