package dev.candor.dashboard;

import io.quarkus.qute.RawString;
import java.util.List;
import java.util.Locale;

/**
 * Charts drawn on the server as inline SVG: no script and nothing fetched, so a page saved to disk, opened offline or
 * printed shows exactly what the dashboard showed. Series and bars carry their values as text (a legend, a label per
 * bar) and differ by dash pattern as well as colour, so that neither a grey-scale print nor colour blindness hides them.
 * Inline SVG in HTML needs no {@code xmlns}; leaving it out keeps the pages free of any URL at all, which the audit
 * report's test checks. Pure functions of their inputs.
 */
public final class Charts {
    private static final String[] COLOURS = {"#1c4fa0", "#b3561e", "#17663a", "#6a3d9a"};
    private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3"};
    private static final String FONT = "font-family=\"system-ui, sans-serif\" font-size=\"11\"";

    private Charts() {
    }

    /** One line of a line chart: its name (shown in the legend) and its points, in x order. */
    public record Series(String name, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** A point of a series. */
    public record Point(double x, double y) { }

    /** A horizontal bar: its label, its value and, when known, an interval drawn as a whisker ({@code NaN} when not). */
    public record Bar(String label, double value, double low, double high) {
        public static Bar of(String label, double value) {
            return new Bar(label, value, Double.NaN, Double.NaN);
        }

        public boolean hasInterval() {
            return !Double.isNaN(low) && !Double.isNaN(high);
        }
    }

    /**
     * A line chart of several series over a shared x axis starting at 1 (epochs), y from 0; {@code markX} (when 1 or
     * more) draws a labelled vertical line there, such as the epoch a model was kept from.
     */
    public static RawString lineChart(String id, List<Series> series, String xLabel, int markX, String markLabel) {
        int w = 640;
        int h = 300;
        int left = 56;
        int right = 150;
        int top = 16;
        int bottom = 44;
        double xMax = Math.max(2, series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::x).max().orElse(2));
        double yData = series.stream().flatMap(s -> s.points().stream()).mapToDouble(Point::y)
                .filter(Double::isFinite).max().orElse(1);
        double yStep = niceStep(Math.max(yData, 1e-9) / 5);
        double yMax = Math.max(yStep, Math.ceil(yData / yStep - 1e-9) * yStep);
        double plotW = w - left - right;
        double plotH = h - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart line-chart\" id=\"").append(escape(id))
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" width=\"").append(w)
                .append("\" height=\"").append(h).append("\" role=\"img\" ").append(FONT).append(">");
        svg.append("<title>").append(escape(xLabel)).append(" curves: ")
                .append(escape(String.join(", ", series.stream().map(Series::name).toList()))).append("</title>");
        // Axes and ticks.
        svg.append(line(left, top, left, top + plotH, "#1d2430", "")).append(line(left, top + plotH, left + plotW, top + plotH, "#1d2430", ""));
        for (double y = 0; y <= yMax + yStep / 2; y += yStep) {
            double py = top + plotH - y / yMax * plotH;
            svg.append(line(left, py, left + plotW, py, "#e3e7ee", ""));
            svg.append(text(left - 6, py + 4, "end", tick(y, yStep), "y-tick"));
        }
        double xStep = Math.max(1, niceStep(xMax / 8));
        for (double x = xStep; x <= xMax + 1e-9; x += xStep) {
            double px = left + (x - 1) / (xMax - 1) * plotW;
            svg.append(line(px, top + plotH, px, top + plotH + 4, "#1d2430", ""));
            svg.append(text(px, top + plotH + 16, "middle", tick(x, xStep), "x-tick"));
        }
        svg.append(text(left - 6, top + plotH + 16, "end", "1", "x-tick"));
        svg.append(text(left + plotW / 2, h - 6, "middle", xLabel, "x-label"));
        // The kept epoch, under the lines so that it does not hide them.
        if (markX >= 1) {
            double px = left + (markX - 1) / (xMax - 1) * plotW;
            svg.append("<g class=\"mark\" data-x=\"").append(markX).append("\">")
                    .append(line(px, top, px, top + plotH, "#6b7380", "4 3"))
                    .append(text(px + 4, top + 10, "start", markLabel, "mark-label")).append("</g>");
        }
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            StringBuilder points = new StringBuilder();
            for (Point p : s.points()) {
                if (!Double.isFinite(p.y())) continue;
                if (points.length() > 0) points.append(' ');
                points.append(num(left + (p.x() - 1) / (xMax - 1) * plotW)).append(',').append(num(top + plotH - p.y() / yMax * plotH));
            }
            svg.append("<polyline class=\"series\" data-series=\"").append(escape(s.name())).append("\" fill=\"none\" stroke=\"")
                    .append(COLOURS[i % COLOURS.length]).append("\" stroke-width=\"1.8\"")
                    .append(DASHES[i % DASHES.length].isEmpty() ? "" : " stroke-dasharray=\"" + DASHES[i % DASHES.length] + "\"")
                    .append(" points=\"").append(points).append("\"/>");
            // Legend: swatch with the same dash, and the name.
            double ly = top + 14 + i * 18;
            double lx = left + plotW + 12;
            svg.append("<g class=\"legend\">").append(line(lx, ly - 4, lx + 24, ly - 4, COLOURS[i % COLOURS.length], DASHES[i % DASHES.length]))
                    .append(text(lx + 30, ly, "start", s.name(), "legend-label")).append("</g>");
        }
        svg.append("</svg>");
        return new RawString(svg.toString());
    }

    /**
     * Horizontal bars from 0, with each value written after its bar. {@code domainMax} fixes the scale (1 for rates),
     * or is {@code NaN} to fit the largest value or interval end.
     */
    public static RawString barChart(String id, List<Bar> bars, double domainMax, String caption) {
        int labelW = 190;
        int barW = 300;
        int valueW = 150;
        int rowH = 22;
        int top = 6;
        int w = labelW + barW + valueW;
        int h = top + rowH * bars.size() + 8;
        double max = domainMax;
        if (Double.isNaN(max)) {
            max = bars.stream().mapToDouble(b -> b.hasInterval() ? Math.max(b.value(), b.high()) : b.value())
                    .filter(Double::isFinite).max().orElse(1);
        }
        max = max > 0 ? max : 1;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart bar-chart\" id=\"").append(escape(id))
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" width=\"").append(w)
                .append("\" height=\"").append(h).append("\" role=\"img\" ").append(FONT).append(">");
        svg.append("<title>").append(escape(caption)).append("</title>");
        svg.append(line(labelW, top - 2, labelW, top + rowH * bars.size(), "#1d2430", ""));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = top + i * rowH;
            double len = Double.isFinite(b.value()) ? Math.max(0, Math.min(b.value(), max)) / max * barW : 0;
            String value = RunPage.format(b.value()) + (b.hasInterval()
                    ? " [" + RunPage.format(b.low()) + ", " + RunPage.format(b.high()) + "]" : "");
            svg.append("<g class=\"bar\" data-label=\"").append(escape(b.label())).append("\" data-value=\"")
                    .append(RunPage.format(b.value())).append("\">");
            svg.append(text(labelW - 6, y + 15, "end", b.label(), "bar-label"));
            svg.append("<rect x=\"").append(labelW).append("\" y=\"").append(num(y + 4)).append("\" width=\"").append(num(len))
                    .append("\" height=\"").append(rowH - 8).append("\" fill=\"#7d9fd3\" stroke=\"#1c4fa0\"/>");
            double valueX = labelW + len + 6;
            if (b.hasInterval()) {
                double lo = labelW + Math.max(0, Math.min(b.low(), max)) / max * barW;
                double hi = labelW + Math.max(0, Math.min(b.high(), max)) / max * barW;
                double cy = y + rowH / 2.0;
                svg.append("<g class=\"interval\">").append(line(lo, cy, hi, cy, "#1d2430", ""))
                        .append(line(lo, cy - 5, lo, cy + 5, "#1d2430", "")).append(line(hi, cy - 5, hi, cy + 5, "#1d2430", ""))
                        .append("</g>");
                valueX = Math.max(valueX, hi + 6);
            }
            svg.append(text(valueX, y + 15, "start", value, "bar-value"));
            svg.append("</g>");
        }
        svg.append("</svg>");
        return new RawString(svg.toString());
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw - 1e-12) return m * p;
        }
        return 10 * p;
    }

    private static String tick(double v, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke, String dash) {
        return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) + "\" stroke=\""
                + stroke + "\"" + (dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>";
    }

    private static String text(double x, double y, String anchor, String content, String cls) {
        return "<text class=\"" + cls + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor
                + "\" fill=\"#1d2430\">" + escape(content) + "</text>";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** XML escaping for text and attribute values: feature and group names come from users' data. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
