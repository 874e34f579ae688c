def nll_grads(x, mu, sigma):
    r = x - mu
    return (r.sum() / sigma**2).item(), (x.numel() / sigma - (r**2).sum() / sigma**3).item()
