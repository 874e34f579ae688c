import torch


def hvp(f, x, v):
    def grad(point):
        point = point.detach().requires_grad_(True)
        return torch.autograd.grad(f(point), point)[0]

    h = 1e-4
    return (grad(x + h * v) - grad(x - h * v)) / (2 * h)
