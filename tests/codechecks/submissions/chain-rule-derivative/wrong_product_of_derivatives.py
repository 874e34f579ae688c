import torch


def derivative(x):
    # f'(x) * g'(x): forgets to evaluate f' at g(x)
    x = x.detach()
    return 2 * x * torch.cos(x**2) * (-2 * x * torch.exp(-x**2))
