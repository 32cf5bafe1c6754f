package org.contssl.steps.probe.sets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.contssl.lists.MemmapList;
import org.contssl.lists.stream.ProbeSet;
import org.contssl.lists.stream.StreamPlan;
import org.contssl.steps.config.ConfigLoader;
import org.contssl.steps.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, checking and writing the user's probe lists (text lists and class-folder trees). */
class UserProbeSetsTest {

    @TempDir
    Path dir;

    private static RunConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).config();
    }

    private Path touch(String rel) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
        return p;
    }

    private Path list(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines));
        return p;
    }

    @Test
    void textListsBecomeLabelledMemmapListsAndTakeTheBuiltInSlotOfTheirRole() throws Exception {
        touch("img/a.png");
        touch("img/b.png");
        Path abs = touch("elsewhere/c.jpg");
        Path train = list("train.txt", "img/a.png 0", "", "img/b.png 2 extra-token", abs + " 1");
        Path val = list("val.txt", "img/b.png 1", "img/a.png 0");
        RunConfig c = config("lincls.imnet.train_filelist=" + train, "lincls.imnet.val_filelist=" + val);
        UserProbeSets.validate(c);
        Path lists = dir.resolve("lists");
        List<ProbeSet> sets = UserProbeSets.materialize(c, lists);
        assertThat(sets).hasSize(1);
        ProbeSet s = sets.get(0);
        assertThat(s.name()).isEqualTo("imnet");
        assertThat(s.numClasses()).isEqualTo(3); // num_classes 0: from the largest label
        assertThat(List.of(s.trainCount(), s.testCount())).containsExactly(3L, 2L);
        try (MemmapList l = MemmapList.open(s.trainList())) {
            assertThat(l.resolve(0)).isEqualTo(dir.resolve("img/a.png"));
            assertThat(l.resolve(2)).isEqualTo(abs);
            assertThat(List.of(l.labelAt(0), l.labelAt(1), l.labelAt(2))).containsExactly(0, 2, 1);
        }
        assertThat(UserProbeSets.read(lists)).isEqualTo(sets);

        Map<String, ProbeSet> builtIn = new LinkedHashMap<>();
        builtIn.put("fashion-mnist", new ProbeSet("fashion-mnist", ProbeSet.IN_DISTRIBUTION, train, val, 10, null, 1, 1));
        builtIn.put("mnist", new ProbeSet("mnist", ProbeSet.OUT_OF_DISTRIBUTION, train, val, 10, null, 1, 1));
        StreamPlan plan = new StreamPlan(train, 1, "x", "iid", 0, null, null, builtIn, List.of(), List.of(), List.of(),
                0, 0, 0, "f");
        List<UserProbeSets.Planned> planned = UserProbeSets.effective(plan, lists);
        assertThat(planned).extracting(p -> p.set().name() + "/" + p.settingsKey())
                .containsExactly("mnist/inat", "imnet/imnet");
        // without user lists the built-in sets are unchanged
        assertThat(UserProbeSets.effective(plan, dir.resolve("none"))).extracting(p -> p.set().name())
                .containsExactly("fashion-mnist", "mnist");
    }

    @Test
    void classFolderTreesNumberTheirClassesBySortedNameAndTheValTreeUsesTheTrainIds() throws Exception {
        for (String f : List.of("T/train/cat/1.png", "T/train/cat/2.png", "T/train/ant/1.jpg", "T/train/dog/1.jpeg",
                "T/val/dog/9.png", "T/val/ant/8.png")) {
            touch(f);
        }
        Files.createDirectories(dir.resolve("T/train/empty"));
        touch("T/train/cat/notes.txt");
        RunConfig c = config("lincls.pets.train_filelist=" + dir.resolve("T/train"),
                "lincls.pets.val_filelist=" + dir.resolve("T/val"), "lincls.pets.num_classes=3");
        ProbeSet s = UserProbeSets.materialize(c, dir.resolve("lists")).get(0);
        assertThat(s.classNames()).containsExactly("ant", "cat", "dog");
        assertThat(s.role()).isEqualTo("in-distribution");
        try (MemmapList train = MemmapList.open(s.trainList()); MemmapList val = MemmapList.open(s.testList())) {
            assertThat(train.size()).isEqualTo(4);
            assertThat(train.resolve(1)).isEqualTo(dir.resolve("T/train/cat/1.png"));
            assertThat(List.of(train.labelAt(0), train.labelAt(1), train.labelAt(2), train.labelAt(3)))
                    .containsExactly(0, 1, 1, 2);
            assertThat(List.of(val.labelAt(0), val.labelAt(1))).containsExactly(0, 2);
        }

        touch("T/val/zebra/1.png");
        assertThatThrownBy(() -> UserProbeSets.validate(c)).isInstanceOf(ProbeInputException.class)
                .hasMessageContaining("class folder 'zebra' is not a class of the train split");
        RunConfig two = config("lincls.pets.train_filelist=" + dir.resolve("T/train"),
                "lincls.pets.val_filelist=" + dir.resolve("T/val"), "lincls.pets.num_classes=2");
        assertThatThrownBy(() -> UserProbeSets.validate(two))
                .hasMessageContaining("class folder 'dog' has class id 2, outside [0, 2)");
    }

    @Test
    void badLabelsPathsAndClassCountsNameTheFileAndLine() throws Exception {
        touch("base/img/a.png");
        Path good = list("good.txt", "base/img/a.png 0", "base/img/a.png 1");
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"label.txt", "base/img/a.png 0\nbase/img/a.png 3",
            "label.txt: line 2: label 3 is outside [0, 2) — fix the label or lincls.own.num_classes=2"});
        cases.add(new String[] {"neg.txt", "base/img/a.png -1", "neg.txt: line 1: label -1 is outside"});
        cases.add(new String[] {"word.txt", "base/img/a.png cat", "word.txt: line 1: label 'cat' is not an integer"});
        cases.add(new String[] {"bare.txt", "\nbase/img/a.png", "bare.txt: line 2: no label"});
        cases.add(new String[] {"up.txt", "../../etc/passwd 0", "up.txt: line 1: path '../../etc/passwd' is outside"});
        for (String[] k : cases) {
            Path val = list(k[0], k[1].split("\n"));
            RunConfig c = config("lincls.own.train_filelist=" + good, "lincls.own.val_filelist=" + val,
                    "lincls.own.num_classes=2");
            assertThatThrownBy(() -> UserProbeSets.validate(c)).as(k[0]).isInstanceOf(ProbeInputException.class)
                    .hasMessageContaining(k[2]).hasMessageNotContaining("\n");
        }
        RunConfig wrong = config("lincls.own.train_filelist=" + good, "lincls.own.val_filelist=" + good,
                "lincls.own.num_classes=5");
        assertThatThrownBy(() -> UserProbeSets.validate(wrong))
                .hasMessageContaining("good.txt: line 2: the largest label is 1 (2 classes) but lincls.own.num_classes=5");
        // with base_dir, relative records resolve there and absolute ones must lie under it
        Path based = list("based.txt", "img/a.png 0", dir.resolve("good.txt") + " 1");
        RunConfig base = config("lincls.own.train_filelist=" + based, "lincls.own.val_filelist=" + based,
                "lincls.own.base_dir=" + dir.resolve("base"));
        assertThatThrownBy(() -> UserProbeSets.validate(base))
                .hasMessageContaining("based.txt: line 2: path '" + dir.resolve("good.txt") + "' is outside the base"
                        + " directory " + dir.resolve("base"));
        RunConfig missing = config("lincls.own.train_filelist=" + dir.resolve("nope.txt"),
                "lincls.own.val_filelist=" + good);
        assertThatThrownBy(() -> UserProbeSets.validate(missing)).hasMessageContaining("nope.txt: does not exist");
    }
}
