package dev.candor.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmark jar's entry point: {@code java -jar bench/target/candor-bench.jar NAME [args]}. */
public final class Bench {
    /** A benchmark's main method. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    static final Map<String, Main> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("overhead", OverheadBench::main);
        BENCHMARKS.put("shap", ShapBench::main);
        BENCHMARKS.put("treeshap", TreeShapBench::main);
        BENCHMARKS.put("train-step", TrainStepBench::main);
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "overhead" : args[0];
        Main main = BENCHMARKS.get(name);
        if (main == null) {
            System.err.println("unknown benchmark '" + name + "': one of " + BENCHMARKS.keySet());
            System.exit(2);
        }
        main.run(args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length));
    }

    private Bench() {
    }
}
