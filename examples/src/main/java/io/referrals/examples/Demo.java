package io.referrals.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Placeholder demo entry point; to be replaced by the real end-to-end demo. */
public final class Demo {

    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        LOG.info("demo pending");
    }
}
