import torch


def derivative(x):
    x = x.detach()
    inner = torch.exp(-2 * x**2)
    return -4 * x * inner * torch.cos(inner)
