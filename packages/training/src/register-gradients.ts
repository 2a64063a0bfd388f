/**
 * Makes sure every op's gradient is registered. tfjs-core registers none
 * itself; its ESM file that would cannot be loaded by Node (it imports
 * without file extensions), and the union package's Node bundle registers
 * them all in the global registry that tfjs-core reads. Importing it costs
 * load time but changes no backend choice made by @hourglass/compute.
 */
import '@tensorflow/tfjs';
