def nll_grads(x, mu, sigma):
    r = x.double() - mu
    d_mu = -r.sum() / sigma**2
    d_sigma = x.numel() / sigma - (r**2).sum() / sigma**3
    return d_mu.item(), d_sigma.item()
