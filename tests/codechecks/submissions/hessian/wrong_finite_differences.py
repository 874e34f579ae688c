import torch


def hessian(f, x, h=1e-4):
    n = x.numel()
    x = x.detach()
    H = torch.zeros(n, n, dtype=x.dtype)
    eye = torch.eye(n, dtype=x.dtype) * h
    for i in range(n):
        for j in range(n):
            H[i, j] = (f(x + eye[i] + eye[j]) - f(x + eye[i] - eye[j])
                       - f(x - eye[i] + eye[j]) + f(x - eye[i] - eye[j])) / (4 * h * h)
    return H
