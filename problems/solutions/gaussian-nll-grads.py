import torch


def nll_grads(x, mu, sigma):
    """Gradients of sum_i [log sigma + (x_i - mu)^2 / (2 sigma^2) + log(2 pi)/2] in mu and sigma."""
    mu = torch.tensor(mu, dtype=torch.float64, requires_grad=True)
    sigma = torch.tensor(sigma, dtype=torch.float64, requires_grad=True)
    data = x.detach().to(torch.float64)
    nll = (torch.log(sigma) + (data - mu) ** 2 / (2 * sigma**2)
           + 0.5 * torch.log(torch.tensor(2 * torch.pi, dtype=torch.float64))).sum()
    grad_mu, grad_sigma = torch.autograd.grad(nll, (mu, sigma))
    return grad_mu.item(), grad_sigma.item()
