import torch


def hessian(f, x):
    return torch.autograd.functional.hessian(f, x)
