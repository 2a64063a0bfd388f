/**
 * Registers the gradient functions of every tfjs op.
 *
 * Why it exists: @tensorflow/tfjs-core's Node build registers no gradients
 * (tf.grad fails with "gradient function not found for Sum"); they are
 * registered by the @tensorflow/tfjs package, which tfjs-node loads on
 * machines where it is installed. Importing that package here gives the
 * wasm and cpu backends the same gradients, from the same code, as
 * tfjs-node. It shares tfjs-core's engine and registries, which live on
 * the global object.
 */
import '@tensorflow/tfjs';
