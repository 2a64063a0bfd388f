"""PyTorch reference for bench/train-throughput.ts.

Reads the benchmark's settings and the parsed model specs as JSON on stdin,
trains the same architectures with the same shapes (TensorFlow's 'same'
padding, the same losses, Adam) on one CPU thread, and prints one JSON line
per family: {"family": ..., "imagesPerSecond": ...}. The first step is left
out of the rate, as in the TypeScript benchmark. Only throughput is
compared: weights are PyTorch's default initialisation, the data random.
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn


def same_padding(size, kernel, stride):
    """TensorFlow's 'same' padding of one axis: (before, after, output)."""
    output = math.ceil(size / stride)
    total = max((output - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, output


class ConvSame(nn.Module):
    """conv2d with TensorFlow's 'same' padding, applied explicitly."""

    def __init__(self, depth_in, depth_out, kernel, stride):
        super().__init__()
        self.conv = nn.Conv2d(depth_in, depth_out, kernel, stride)
        self.kernel, self.stride = kernel, stride

    def forward(self, x):
        top, bottom, _ = same_padding(x.shape[2], self.kernel, self.stride)
        left, right, _ = same_padding(x.shape[3], self.kernel, self.stride)
        return self.conv(F.pad(x, (left, right, top, bottom)))


class ConvTransposeSame(nn.Module):
    """Transposed conv to a given size: the full output, centre-cropped or
    zero-filled at the end, as the TypeScript conv2dTransposeSame does."""

    def __init__(self, depth_in, depth_out, kernel, stride):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(depth_in, depth_out, kernel, stride)

    def forward(self, x, size):
        full = self.deconv(x)
        height, width = full.shape[2], full.shape[3]
        top = max((height - size[0]) // 2, 0)
        left = max((width - size[1]) // 2, 0)
        cropped = full[:, :, top:top + size[0], left:left + size[1]]
        missing_rows = size[0] - cropped.shape[2]
        missing_columns = size[1] - cropped.shape[3]
        if missing_rows or missing_columns:
            cropped = F.pad(cropped, (0, missing_columns, 0, missing_rows))
        return cropped


def pool_same(x, kind, size):
    """Non-overlapping pooling with 'same' padding (padding not counted)."""
    top, bottom, _ = same_padding(x.shape[2], size, size)
    left, right, _ = same_padding(x.shape[3], size, size)
    pads = (left, right, top, bottom)
    if kind == 'max':
        return F.max_pool2d(F.pad(x, pads, value=-math.inf), size)
    if not any(pads):
        return F.avg_pool2d(x, size)
    ones = torch.ones_like(x[:, :1])
    sums = F.avg_pool2d(F.pad(x, pads), size)
    counts = F.avg_pool2d(F.pad(ones, pads), size)
    return sums / counts


def activate(x, activation):
    return torch.relu(x) if activation == 'relu' else torch.sigmoid(x)


class ShallowAutoencoder(nn.Module):
    """DeConv(act(Conv(x))), optionally DeConv(Pool(act(Conv(x))))."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.is_pooled = 'poolSize' in spec
        upsampling = spec['stride'] * (spec['poolSize'] if self.is_pooled else 1)
        self.conv = ConvSame(3, spec['channels'], spec['kernelSize'], spec['stride'])
        self.deconv = ConvTransposeSame(
            spec['channels'], 3, spec['decoderKernelSize'], upsampling)

    def loss(self, x, _labels):
        conv = self.conv(x)
        hidden = activate(conv, self.spec['activation'])
        code = hidden
        if self.is_pooled:
            code = pool_same(hidden, self.spec['pool'], self.spec['poolSize'])
        output = self.deconv(code, x.shape[2:])
        loss = F.mse_loss(output, x)
        sparsity = self.spec.get('sparsity')
        if sparsity is not None:
            penalised = {'pre-activation': conv, 'post-activation': hidden,
                         'post-pool': code}[sparsity['placement']]
            loss = loss + sparsity['weight'] * penalised.abs().mean()
        return loss


class DeepAutoencoder(nn.Module):
    """conv + 2x2 pool stages, mirrored by 2x2 unpool and conv stages."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        widths = spec.get('channels') or [
            spec['baseChannels'] * 2 ** i for i in range(spec['depth'])]
        depths_in = [3] + widths[:-1]
        k = spec['kernelSize']
        self.convs = nn.ModuleList(
            ConvSame(a, b, k, 1) for a, b in zip(depths_in, widths))
        self.unpools = nn.ModuleList(
            ConvTransposeSame(b, b, 2, 2) for b in widths)
        self.deconvs = nn.ModuleList(
            ConvTransposeSame(b, a, k, 1) for a, b in zip(depths_in, widths))

    def loss(self, x, _labels):
        activation = self.spec['activation']
        sizes = []
        h = x
        for conv in self.convs:
            sizes.append(h.shape[2:])
            h = pool_same(activate(conv(h), activation), self.spec['pool'], 2)
        waist = h
        for i in reversed(range(len(self.convs))):
            h = activate(self.unpools[i](h, sizes[i]), activation)
            h = self.deconvs[i](h, sizes[i])
            if i > 0:
                h = activate(h, activation)
        loss = F.mse_loss(h, x)
        penalty = self.spec.get('waistSparsity')
        if penalty is not None:
            loss = loss + penalty['weight'] * waist.abs().mean()
        return loss


class VariationalAutoencoder(nn.Module):
    """Stride-2 conv encoder, Gaussian latent, mirrored decoder."""

    def __init__(self, spec, image_size):
        super().__init__()
        self.spec = spec
        widths = spec['channels']
        depths_in = [3] + widths[:-1]
        k = spec['kernelSize']
        self.sizes = [image_size]
        for _ in widths:
            self.sizes.append(math.ceil(self.sizes[-1] / 2))
        self.waist = (widths[-1], self.sizes[-1], self.sizes[-1])
        flat = widths[-1] * self.sizes[-1] ** 2
        latent = spec['latentSize']
        self.convs = nn.ModuleList(
            ConvSame(a, b, k, 2) for a, b in zip(depths_in, widths))
        self.mean = nn.Linear(flat, latent)
        self.log_variance = nn.Linear(flat, latent)
        self.dense = nn.Linear(latent, flat)
        self.deconvs = nn.ModuleList(
            ConvTransposeSame(b, a, k, 2) for a, b in zip(depths_in, widths))

    def loss(self, x, _labels):
        h = x
        for conv in self.convs:
            h = torch.relu(conv(h))
        flat = h.flatten(1)
        mean, log_variance = self.mean(flat), self.log_variance(flat)
        z = mean + torch.exp(0.5 * log_variance) * torch.randn_like(mean)
        h = torch.relu(self.dense(z)).view(-1, *self.waist)
        for i in reversed(range(len(self.deconvs))):
            side = self.sizes[i]
            h = self.deconvs[i](h, (side, side))
            if i > 0:
                h = torch.relu(h)
        n = x.shape[0]
        if self.spec['likelihood'] == 'bernoulli':
            reconstruction = F.binary_cross_entropy_with_logits(
                h, x, reduction='sum') / n
        else:
            sd = self.spec['outputSd']
            squared = ((torch.sigmoid(h) - x) ** 2).sum() / n
            reconstruction = squared / (2 * sd * sd) + x[0].numel() * math.log(
                sd * math.sqrt(2 * math.pi))
        kl = 0.5 * (mean ** 2 + log_variance.exp() - 1 - log_variance).sum() / n
        return reconstruction + self.spec['beta'] * kl


def alexnet_layout(spec):
    """The same widths as describeAlexNet in packages/specs."""
    full = spec['variant'] == 'full'

    def scale(width):
        return max(1, round(width * spec['widthMultiplier']))

    channels = [96, 256, 384, 384, 256] if full else [64, 192, 384, 256, 256]
    units = [4096, 4096] if full else [384, 192]
    return {
        'channels': [scale(c) for c in channels],
        'kernels': [11, 5, 3, 3, 3] if full else [5, 5, 3, 3, 3],
        'first_stride': 4 if full else 1,
        'units': [scale(u) for u in units],
    }


class AlexNet(nn.Module):
    """5 convs (3x3 stride-2 max pools after 1, 2, 5) and 3 fc layers."""

    def __init__(self, spec, image_size):
        super().__init__()
        self.spec = spec
        layout = alexnet_layout(spec)
        depths_in = [3] + layout['channels'][:-1]
        self.convs = nn.ModuleList(
            ConvSame(a, b, k, layout['first_stride'] if i == 0 else 1)
            for i, (a, b, k) in enumerate(
                zip(depths_in, layout['channels'], layout['kernels'])))
        side = math.ceil(image_size / layout['first_stride'])
        for _ in range(3):
            side = (side - 3) // 2 + 1
        sizes = [layout['channels'][-1] * side * side, *layout['units'],
                 spec['classCount']]
        self.fcs = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))

    def loss(self, x, labels):
        h = x
        for i, conv in enumerate(self.convs):
            h = torch.relu(conv(h))
            if i in (0, 1, 4):
                h = F.max_pool2d(h, 3, 2)
        h = h.flatten(1)
        for j, fc in enumerate(self.fcs):
            if j > 0:
                h = F.dropout(h, self.spec['dropoutRate'], training=True)
            h = fc(h)
            if j < 2:
                h = torch.relu(h)
        return F.cross_entropy(h, labels)


class Colorization(nn.Module):
    """Zhang et al.'s colorization net as the TypeScript model has it: L in,
    three stride-2 convs and one stride-1, a 4x4 transposed conv back to a
    quarter of the size, 1x1 logits over the ab bins, and a rebalanced
    multinomial cross-entropy against soft targets. The Lab conversion and
    soft encoding of the targets (elementwise work and a nearest-bin search
    the TypeScript model does per batch) are left out: random soft targets
    of the same shape stand in, so the ratio slightly flatters PyTorch."""

    BIN_COUNT = 309  # in-gamut ab bins at grid 10 (see ab-bins.ts)

    def __init__(self, spec):
        super().__init__()
        c, k = spec['channels'], spec['kernelSize']
        self.convs = nn.ModuleList([
            ConvSame(1, c, k, 2), ConvSame(c, 2 * c, k, 2),
            ConvSame(2 * c, 4 * c, k, 2), ConvSame(4 * c, 4 * c, k, 1),
        ])
        self.deconv = ConvTransposeSame(4 * c, 2 * c, 4, 2)
        self.logits = nn.Conv2d(2 * c, self.BIN_COUNT, 1)
        self.weights = torch.rand(self.BIN_COUNT) + 0.5

    def loss(self, x, _labels):
        lightness = x[:, :1] * 100
        h = (lightness - 50) / 50
        for conv in self.convs:
            h = torch.relu(conv(h))
        size = (math.ceil(x.shape[2] / 4), math.ceil(x.shape[3] / 4))
        h = torch.relu(self.deconv(h, size))
        logits = self.logits(h)
        targets = torch.softmax(torch.rand_like(logits) * 4, dim=1)
        # Each pixel weighs as its most likely target bin, as in the paper.
        pixel_weights = self.weights[targets.argmax(dim=1)].unsqueeze(1)
        log_probs = torch.log_softmax(logits, dim=1)
        return -(pixel_weights * targets * log_probs).sum(dim=1).mean()


def build(spec, image_size):
    family = spec['family']
    if family in ('shallow-ae', 'sparse-shallow-ae', 'pooled-ae',
                  'sparse-pooled-ae'):
        return ShallowAutoencoder(spec)
    if family == 'deep-ae':
        return DeepAutoencoder(spec)
    if family == 'vae':
        return VariationalAutoencoder(spec, image_size)
    if family == 'alexnet':
        return AlexNet(spec, image_size)
    if family == 'colorization':
        return Colorization(spec)
    raise ValueError(f'no PyTorch reference for family {family}')


def benchmark(spec, settings):
    """Images per second over steps 2..steps of Adam on random batches."""
    torch.manual_seed(0)
    size, batch = settings['imageSize'], settings['batchSize']
    model = build(spec, size)
    optimizer = torch.optim.Adam(model.parameters(), settings['learningRate'])
    x = torch.rand(batch, 3, size, size)
    labels = torch.randint(0, spec.get('classCount', 10), (batch,))

    started = None
    for step in range(settings['steps']):
        optimizer.zero_grad()
        loss = model.loss(x, labels)
        loss.backward()
        optimizer.step()
        if step == 0:
            started = time.perf_counter()
    seconds = time.perf_counter() - started
    return (settings['steps'] - 1) * batch / seconds


def main():
    torch.set_num_threads(1)
    settings = json.load(sys.stdin)
    for spec in settings['models']:
        rate = benchmark(spec, settings)
        print(json.dumps({'family': spec['family'], 'imagesPerSecond': rate}),
              flush=True)


if __name__ == '__main__':
    main()
