import math

import torch


def nll_grads(x, mu, sigma):
    mu = torch.tensor(mu, dtype=x.dtype, requires_grad=True)
    sigma = torch.tensor(sigma, dtype=x.dtype, requires_grad=True)
    nll = (torch.log(sigma) + (x - mu) ** 2 / (2 * sigma**2) + 0.5 * math.log(2 * math.pi)).sum()
    d_mu, d_sigma = torch.autograd.grad(nll, (mu, sigma))
    return d_mu, d_sigma
