package dev.candor.stages.nn.model;

/**
 * One layer of a model description, as the user wrote it ({@link LayerParser} reads the strings). Each layer
 * that owns parameters says only their sizes here; the compiler derives their shapes from the input shape.
 * New kinds (recurrent cells) add a record here and a compiler {@code Layer}; nothing else changes.
 */
public sealed interface LayerSpec {
    /** The most units of a dense layer, and filters of a convolution. */
    int MAX_UNITS = 1_000_000;
    /** The largest kernel, pooling window, stride or padding. */
    int MAX_WINDOW = 1_024;

    /** The layer as a user would write it, for error messages. */
    String text();

    /** A fully connected layer with {@code units} outputs followed by {@code activation}. */
    record Dense(int units, Activation activation) implements LayerSpec {
        public Dense {
            if (units < 1 || units > MAX_UNITS) {
                throw new SizeLimitException(String.format("a dense layer has 1 to %,d units, got %,d", MAX_UNITS, units));
            }
        }

        public String text() {
            return "dense " + units + (activation == Activation.NONE ? "" : " " + activation.word());
        }
    }

    /** An activation on its own. */
    record Act(Activation activation) implements LayerSpec {
        public String text() {
            return activation.word();
        }
    }

    /** Inverted dropout: in training, zeroes each value with probability p and scales the rest by 1/(1-p). */
    record Dropout(double p) implements LayerSpec {
        public Dropout {
            if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }

        public String text() {
            return "dropout " + p;
        }
    }

    /** Flattens [C, H, W] to [C*H*W]. */
    record Flatten() implements LayerSpec {
        public String text() {
            return "flatten";
        }
    }

    /**
     * A 2-D convolution on [C, H, W] inputs followed by {@code activation}.
     *
     * @param padding zero padding on each side; {@link #SAME} means kernel/2 (the output keeps H and W at stride 1)
     */
    record Conv2d(int filters, int kernelH, int kernelW, int stride, int padding, Activation activation)
            implements LayerSpec {
        /** Padding marker: half the kernel on each side. */
        public static final int SAME = -1;

        public Conv2d {
            if (filters < 1 || filters > MAX_UNITS) {
                throw new SizeLimitException(String.format("a conv layer has 1 to %,d filters, got %,d", MAX_UNITS, filters));
            }
            if (kernelH < 1 || kernelW < 1 || kernelH > MAX_WINDOW || kernelW > MAX_WINDOW) {
                throw new SizeLimitException("a conv kernel is 1x1 to " + MAX_WINDOW + "x" + MAX_WINDOW + ", got " + kernelH
                        + "x" + kernelW);
            }
            if (stride < 1 || stride > MAX_WINDOW) {
                throw new SizeLimitException("a conv stride is 1 to " + MAX_WINDOW + ", got " + stride);
            }
            if (padding < SAME || padding > MAX_WINDOW) {
                throw new SizeLimitException("a conv padding is same or 0 to " + MAX_WINDOW + ", got " + padding);
            }
        }

        public int padH() {
            return padding == SAME ? kernelH / 2 : padding;
        }

        public int padW() {
            return padding == SAME ? kernelW / 2 : padding;
        }

        public String text() {
            return "conv " + filters + " " + kernelH + "x" + kernelW
                    + (stride == 1 ? "" : " stride " + stride)
                    + (padding == SAME ? "" : " pad " + padding)
                    + (activation == Activation.NONE ? "" : " " + activation.word());
        }
    }

    /** Max or average pooling over size x size windows, moving by stride, no padding. */
    record Pool(boolean max, int size, int stride) implements LayerSpec {
        public Pool {
            if (size < 1 || size > MAX_WINDOW) throw new SizeLimitException("a pool size is 1 to " + MAX_WINDOW + ", got " + size);
            if (stride < 1 || stride > MAX_WINDOW) {
                throw new SizeLimitException("a pool stride is 1 to " + MAX_WINDOW + ", got " + stride);
            }
        }

        public String text() {
            return (max ? "maxpool " : "avgpool ") + size + (stride == size ? "" : " stride " + stride);
        }
    }

    /**
     * Batch normalization (Ioffe & Szegedy 2015) per feature (vectors) or per channel (images); running
     * statistics follow {@code running = (1 - momentum) * running + momentum * batch} (PyTorch's convention).
     */
    record BatchNorm(double momentum, double eps) implements LayerSpec {
        public BatchNorm {
            if (!(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException("batch-norm momentum must be in (0, 1], got " + momentum);
            }
            if (!(eps > 0)) throw new IllegalArgumentException("batch-norm eps must be > 0, got " + eps);
        }

        public String text() {
            return "batchnorm";
        }
    }
}
