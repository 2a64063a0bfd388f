/**
 * The terms of the VAE's negative evidence lower bound (Kingma and Welling
 * 2014, equation 10 with the Gaussian KL of their appendix B): a
 * reconstruction negative log-likelihood and the KL divergence of the
 * approximate posterior N(mean, exp(logVariance)) from the prior N(0, I).
 * Each is summed over an image's pixels or latent units and averaged over
 * the batch, so the ELBO is in nats per image.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * KL(N(mean, diag(exp(logVariance))) || N(0, I)) per image, averaged over
 * the batch: mean over n of 0.5 * sum_j (mean_j^2 + exp(lv_j) - 1 - lv_j).
 * mean and logVariance are [n, latent].
 */
export function gaussianKlDivergence(
  mean: tf.Tensor2D,
  logVariance: tf.Tensor2D,
): tf.Scalar {
  return tf.tidy(() => {
    const perUnit = tf.sub(
      tf.add(tf.square(mean), tf.exp(logVariance)),
      tf.add(logVariance, 1),
    );
    return tf.mul(tf.mean(tf.sum(perUnit, 1)), 0.5);
  });
}

/**
 * -log p(x | z) for independent Bernoulli pixels with the decoder's
 * logits l: per pixel log(1 + exp(l)) - x * l (the sigmoid cross-entropy,
 * written as max(l, 0) - x * l + log(1 + exp(-|l|)) so large logits do not
 * overflow). Summed per image, averaged over the batch; x and logits are
 * [n, h, w, 3], x in [0, 1].
 */
export function bernoulliNegativeLogLikelihood(
  x: tf.Tensor4D,
  logits: tf.Tensor4D,
): tf.Scalar {
  return tf.tidy(() => {
    const softplus = tf.add(
      tf.relu(logits),
      tf.log(tf.add(tf.exp(tf.neg(tf.abs(logits))), 1)),
    );
    const perPixel = tf.sub(softplus, tf.mul(x, logits));
    return sumPerImageMean(perPixel);
  });
}

/**
 * -log p(x | z) for independent Gaussian pixels of mean `mean` and fixed
 * standard deviation sd: per pixel (x - mean)^2 / (2 sd^2) +
 * log(sd * sqrt(2 pi)). Summed per image, averaged over the batch.
 */
export function gaussianNegativeLogLikelihood(
  x: tf.Tensor4D,
  mean: tf.Tensor4D,
  sd: number,
): tf.Scalar {
  return tf.tidy(() => {
    const [, height = 0, width = 0, channels = 0] = x.shape;
    const squared = sumPerImageMean(tf.squaredDifference(x, mean));
    const normaliser = height * width * channels * Math.log(sd * Math.sqrt(2 * Math.PI));
    return tf.add(tf.div(squared, 2 * sd * sd), normaliser);
  });
}

// Sum over every axis but the batch, then the mean over the batch.
function sumPerImageMean(values: tf.Tensor): tf.Scalar {
  const [n = 1] = values.shape;
  return tf.div(tf.sum(values), n);
}
