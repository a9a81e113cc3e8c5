"""The paper's DCNN in PyTorch, matching ghl's nn.NewDCNN layer for layer.

state_dict keys (conv1.*, conv2.*, fc1.*, fc2.*) are the tensor names of a
ghl model file, so `model.load_state_dict(safetensors.torch.load_file(path))`
loads a file written by ghl (see nn's package documentation).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK = (1 << 64) - 1


class DCNN(nn.Module):
    def __init__(self, classes, input_len=1024, padding="same"):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, 49, padding=padding)
        self.conv2 = nn.Conv1d(16, 16, 21, padding=padding)
        w = input_len if padding == "same" else input_len - 48
        w //= 4
        w = w if padding == "same" else w - 20
        w //= 4
        self.fc1 = nn.Linear(16 * w, 100)
        self.fc2 = nn.Linear(100, classes)

    def forward(self, x):  # x: [N, input_len] -> logits [N, classes]
        x = x.unsqueeze(1)
        x = F.max_pool1d(F.relu(self.conv1(x)), 4)
        x = F.max_pool1d(F.relu(self.conv2(x)), 4)
        x = torch.flatten(x, 1)  # channel-major: index c*W + t
        return self.fc2(F.relu(self.fc1(x)))


def mse_softmax(logits, labels):
    """The paper's loss: mean squared error between softmax(logits) and one-hot."""
    y = F.one_hot(labels, logits.shape[1]).to(logits.dtype)
    return F.mse_loss(torch.softmax(logits, 1), y)


class SplitMix64:
    """Integer generator shared with the Go test, so weights and inputs need
    not be stored: every value is (2k - 2^24) / 2^24 * scale for a 24-bit k,
    exact in float32 in both languages."""

    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self, shape, scale):
        n = 1
        for d in shape:
            n *= d
        vals = [float((2 * (self.next() >> 40)) - (1 << 24)) / (1 << 24) * scale for _ in range(n)]
        return torch.tensor(vals, dtype=torch.float32).reshape(shape)
