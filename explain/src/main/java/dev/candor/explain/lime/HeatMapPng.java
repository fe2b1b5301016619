package dev.candor.explain.lime;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Draws a per-pixel attribution over a grayscale image as a PNG: the image in gray, positive weights tinted red and
 * negative ones blue, the tint's strength |weight| / max |weight|, each source pixel drawn as a {@code scale ×
 * scale} block so that small images (8×8 digits) can be read.
 */
public final class HeatMapPng {
    private HeatMapPng() {
    }

    /**
     * @param pixels  the image, row-major
     * @param weights one attribution per pixel, row-major
     * @param max     the pixel value drawn white (e.g. 16 for the 8×8 digits)
     * @param scale   output pixels per source pixel (&gt;= 1)
     */
    public static BufferedImage render(float[] pixels, double[] weights, int height, int width, double max, int scale) {
        if (pixels.length != height * width || weights.length != pixels.length) {
            throw new IllegalArgumentException("a " + height + "x" + width + " heat map needs " + height * width
                    + " pixels and weights, got " + pixels.length + " and " + weights.length);
        }
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        if (!(max > 0)) throw new IllegalArgumentException("max must be > 0, got " + max);
        double biggest = 0;
        for (double w : weights) biggest = Math.max(biggest, Math.abs(w));
        BufferedImage img = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int p = r * width + c;
                double gray = Math.max(0, Math.min(1, pixels[p] / max)) * 255;
                double t = biggest == 0 ? 0 : Math.abs(weights[p]) / biggest * 0.7;
                double red = weights[p] > 0 ? gray * (1 - t) + 255 * t : gray * (1 - t);
                double blue = weights[p] < 0 ? gray * (1 - t) + 255 * t : gray * (1 - t);
                double green = gray * (1 - t);
                int rgb = ((int) Math.round(red) << 16) | ((int) Math.round(green) << 8) | (int) Math.round(blue);
                for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) img.setRGB(c * scale + dx, r * scale + dy, rgb);
            }
        }
        return img;
    }

    /** Renders and writes the PNG to {@code file}. */
    public static void write(Path file, float[] pixels, double[] weights, int height, int width, double max, int scale) {
        try {
            if (!ImageIO.write(render(pixels, weights, height, width, max, scale), "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the heat map " + file, e);
        }
    }
}
