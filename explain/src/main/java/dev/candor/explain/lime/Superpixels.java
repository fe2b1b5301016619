package dev.candor.explain.lime;

/**
 * A segmentation of an image into superpixels, the "interpretable features" of image LIME: {@code segment[p]} is the
 * superpixel of pixel {@code p} (row-major), numbered 0 … {@code count − 1}.
 *
 * <p>{@link #grid} cuts the image into square cells. It is the honest choice for small images (an 8×8 digit has too
 * few pixels for SLIC's colour-and-distance clustering to find edges that a grid would miss) and is exactly
 * reproducible.
 *
 * @param height  image rows
 * @param width   image columns
 * @param segment per pixel, its superpixel
 * @param count   the number of superpixels
 */
public record Superpixels(int height, int width, int[] segment, int count) {
    public Superpixels {
        if (segment.length != height * width) {
            throw new IllegalArgumentException("a " + height + "x" + width + " image has " + height * width
                    + " pixels but the segmentation gives " + segment.length);
        }
        segment = segment.clone();
        boolean[] seen = new boolean[count];
        for (int s : segment) {
            if (s < 0 || s >= count) throw new IllegalArgumentException("segment " + s + " is outside 0.." + (count - 1));
            seen[s] = true;
        }
        for (int s = 0; s < count; s++) {
            if (!seen[s]) throw new IllegalArgumentException("superpixel " + s + " holds no pixel");
        }
    }

    @Override
    public int[] segment() {
        return segment.clone();
    }

    /** The superpixel of pixel {@code p}. */
    public int of(int p) {
        return segment[p];
    }

    /** Square cells of {@code cell × cell} pixels (smaller at the right and bottom edges when it does not divide). */
    public static Superpixels grid(int height, int width, int cell) {
        if (height < 1 || width < 1) throw new IllegalArgumentException("image must be at least 1x1, got " + height
                + "x" + width);
        if (cell < 1) throw new IllegalArgumentException("cell must be >= 1 pixel, got " + cell);
        int across = (width + cell - 1) / cell;
        int down = (height + cell - 1) / cell;
        int[] seg = new int[height * width];
        for (int r = 0; r < height; r++) for (int c = 0; c < width; c++) seg[r * width + c] = (r / cell) * across + c / cell;
        return new Superpixels(height, width, seg, across * down);
    }
}
