from torch.func import hessian as func_hessian


def hessian(f, x):
    return func_hessian(f)(x.detach())
