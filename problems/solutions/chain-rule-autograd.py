import torch


def derivative(x):
    """d/dx f(g(x)) elementwise, with f(u) = sin({{a}} u^2) and g(x) = exp(-{{b}} x^2)."""
    x = x.detach().clone().requires_grad_(True)
    g = torch.exp(-{{b}} * x**2)
    h = torch.sin({{a}} * g**2)
    (grad,) = torch.autograd.grad(h.sum(), x)
    return grad
