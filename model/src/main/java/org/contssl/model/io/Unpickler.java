package org.contssl.model.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader for the pickles {@code torch.save} writes (protocol 2, plus the few protocol 3/4 opcodes a
 * {@code pickle_protocol=4} save adds). It builds plain Java values: {@code null}, Boolean, Long (BigInteger past 64
 * bits), Double, String, byte[], {@code List} (Python list), {@link Tuple}, {@code Map} (dict and OrderedDict, in
 * insertion order) and {@link TensorRef}.
 *
 * <p>Never executes anything: a pickle may only name {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter} and the {@code torch.*Storage}
 * classes; any other global, and any opcode outside that set, ends the read with a one-line error. Storages come
 * from the caller's {@link PersistentLoader} (the zip and the legacy container file them differently).
 */
public final class Unpickler {

    /** A Python tuple. */
    public record Tuple(List<Object> items) {
        public Object get(int i) {
            return items.get(i);
        }

        public int size() {
            return items.size();
        }
    }

    /** Resolves a {@code persistent_id} tuple (a storage reference) to a {@link TensorRef.Storage}. */
    @FunctionalInterface
    public interface PersistentLoader {
        TensorRef.Storage load(Tuple pid, TorchDtype dtype) throws IOException;
    }

    /** One of the few globals a torch checkpoint may name. */
    private enum Global { ORDERED_DICT, REBUILD_TENSOR, REBUILD_PARAMETER }

    /** A {@code torch.*Storage} class named by a persistent id. */
    private record StorageClass(TorchDtype dtype) {}

    private static final Object MARK = new Object();
    private static final int MAX_STRING = 64 << 20;

    private final InputStream in;
    private final String source;
    private final PersistentLoader loader;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long position;

    private Unpickler(InputStream in, String source, PersistentLoader loader) {
        this.in = in;
        this.source = source;
        this.loader = loader;
    }

    /**
     * Reads one pickle from {@code in} (up to and including its STOP opcode, nothing after it).
     *
     * @param source names the file in error messages
     */
    public static Object load(InputStream in, String source, PersistentLoader loader) throws IOException {
        return new Unpickler(in, source, loader).run();
    }

    private Object run() throws IOException {
        while (true) {
            long at = position;
            int op = u8();
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw fail("uses pickle protocol " + proto + ", which torch never writes");
                    }
                }
                case 0x95 -> readBytes(8); // FRAME: a length prefix only, the opcodes follow inline
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("ends with " + stack.size() + " values on the pickle stack");
                    }
                    return stack.get(0);
                }
                case '(' -> marks.add(stack.size()); // MARK
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) le(4)); // BININT (signed 32-bit)
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (u8() | (u8() << 8))); // BININT2
                case 0x8a -> push(long1(u8())); // LONG1
                case 0x8b -> push(long1(length(le(4)))); // LONG4
                case 'G' -> push(Double.longBitsToDouble(be8())); // BINFLOAT is big-endian
                case 'X' -> push(utf8(length(le(4)))); // BINUNICODE
                case 0x8c -> push(utf8(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(le8()))); // BINUNICODE8
                case 'C' -> push(readBytes(u8())); // SHORT_BINBYTES
                case 'B' -> push(readBytes(length(le(4)))); // BINBYTES
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case 'd' -> push(toMap(popMark())); // DICT
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 't' -> push(new Tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(1)); // TUPLE1
                case 0x86 -> push(tuple(2)); // TUPLE2
                case 0x87 -> push(tuple(3)); // TUPLE3
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    map(peek()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popMark();
                    map(peek()).putAll(toMap(kv));
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(le(4) & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(le(4) & 0xffffffffL)); // LONG_BINGET
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("has a malformed STACK_GLOBAL");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    // OrderedDict carries its __dict__ (state_dict's `_metadata` versions); nothing else may BUILD
                    if (!(peek() instanceof Map<?, ?>) || !(state instanceof Map<?, ?>)) {
                        throw fail("sets the state of an object of type " + typeName(peek())
                                + " (only dicts are accepted)");
                    }
                }
                default -> throw fail(String.format("uses pickle opcode 0x%02x at byte %d, which a torch.save "
                        + "checkpoint of tensors never contains", op, at));
            }
        }
    }

    private Object global(String module, String name) throws IOException {
        String full = module + "." + name;
        switch (full) {
            case "collections.OrderedDict":
                return Global.ORDERED_DICT;
            case "torch._utils._rebuild_tensor_v2":
                return Global.REBUILD_TENSOR;
            case "torch._utils._rebuild_parameter":
                return Global.REBUILD_PARAMETER;
            default:
                TorchDtype t = module.equals("torch") ? TorchDtype.ofStorageClass(name) : null;
                if (t != null) {
                    return new StorageClass(t);
                }
                throw fail("names the Python global " + full + ", which contssl refuses to run (only tensors, "
                        + "dicts, lists, numbers and strings are read): re-save the state_dict with torch.save");
        }
    }

    private Object reduce(Object callable, Object argsObj) throws IOException {
        if (!(argsObj instanceof Tuple args)) {
            throw fail("calls a global with non-tuple arguments");
        }
        if (callable == Global.ORDERED_DICT) {
            Map<Object, Object> m = new LinkedHashMap<>();
            if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
                for (Object p : pairs) {
                    if (!(p instanceof Tuple kv) || kv.size() != 2) {
                        throw fail("builds an OrderedDict from something other than (key, value) pairs");
                    }
                    m.put(kv.get(0), kv.get(1));
                }
            } else if (args.size() != 0) {
                throw fail("builds an OrderedDict with " + args.size() + " arguments");
            }
            return m;
        }
        if (callable == Global.REBUILD_TENSOR) {
            if (args.size() < 4 || args.size() > 7 || !(args.get(0) instanceof TensorRef.Storage storage)
                    || !(args.get(1) instanceof Long offset)) {
                throw fail("has a malformed _rebuild_tensor_v2 call");
            }
            long[] shape = longs(args.get(2));
            long[] stride = longs(args.get(3));
            if (shape.length != stride.length) {
                throw fail("has a tensor whose size and stride differ in length");
            }
            return new TensorRef(storage, offset, shape, stride);
        }
        if (callable == Global.REBUILD_PARAMETER) {
            if (args.size() < 1 || !(args.get(0) instanceof TensorRef t)) {
                throw fail("has a malformed _rebuild_parameter call");
            }
            return t;
        }
        throw fail("calls a " + typeName(callable) + ", which is not callable here");
    }

    private Object persistent(Object pidObj) throws IOException {
        if (!(pidObj instanceof Tuple pid) || pid.size() < 5 || !"storage".equals(pid.get(0))
                || !(pid.get(1) instanceof StorageClass cls)) {
            throw fail("has a persistent id that is not a torch storage reference");
        }
        return loader.load(pid, cls.dtype());
    }

    private long[] longs(Object o) throws IOException {
        if (!(o instanceof Tuple t)) {
            throw fail("has a tensor size or stride that is not a tuple");
        }
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(t.get(i) instanceof Long v) || v < 0) {
                throw fail("has a tensor size or stride that is not a non-negative integer");
            }
            out[i] = v;
        }
        return out;
    }

    private Map<Object, Object> toMap(List<Object> kv) throws IOException {
        if (kv.size() % 2 != 0) {
            throw fail("has a dict with an odd number of keys and values");
        }
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.size(); i += 2) {
            Object k = kv.get(i);
            if (k instanceof List<?> || k instanceof Map<?, ?>) {
                throw fail("has a dict key of type " + typeName(k));
            }
            m.put(k, kv.get(i + 1));
        }
        return m;
    }

    private Tuple tuple(int n) throws IOException {
        if (stack.size() - floor() < n) {
            throw fail("builds a tuple from an empty stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return new Tuple(items);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws IOException {
        if (!(o instanceof List<?> l)) {
            throw fail("appends to a " + typeName(o));
        }
        return (List<Object>) l;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> map(Object o) throws IOException {
        if (!(o instanceof Map<?, ?> m)) {
            throw fail("sets an item on a " + typeName(o));
        }
        return (Map<Object, Object>) m;
    }

    private Object memoGet(long key) throws IOException {
        if (!memo.containsKey(key)) {
            throw fail("refers to pickle memo entry " + key + " that was never stored");
        }
        return memo.get(key);
    }

    private void push(Object o) {
        stack.add(o);
    }

    private int floor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private Object pop() throws IOException {
        if (stack.size() <= floor()) {
            throw fail("pops from an empty pickle stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws IOException {
        if (stack.size() <= floor()) {
            throw fail("reads from an empty pickle stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw fail("closes a MARK that was never opened");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static String typeName(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return "global " + g;
        }
        return o.getClass().getSimpleName();
    }

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new CheckpointFormatException(source + " ends inside its pickle (byte " + position
                    + "): the file is truncated, use a complete copy", new EOFException());
        }
        position++;
        return b;
    }

    private int le(int n) throws IOException {
        int v = 0;
        for (int i = 0; i < n; i++) {
            v |= u8() << (8 * i);
        }
        return v;
    }

    private long le8() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= ((long) u8()) << (8 * i);
        }
        return v;
    }

    private long be8() throws IOException {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    private int length(long n) throws IOException {
        if (n < 0 || n > MAX_STRING) {
            throw fail("claims a " + n + "-byte value in its pickle");
        }
        return (int) n;
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        position += b.length;
        if (b.length != n) {
            throw new CheckpointFormatException(source + " ends inside its pickle (byte " + position
                    + "): the file is truncated, use a complete copy", new EOFException());
        }
        return b;
    }

    private String utf8(int n) throws IOException {
        return new String(readBytes(n), StandardCharsets.UTF_8);
    }

    /** LONG1/LONG4: little-endian two's complement of n bytes. */
    private Object long1(int n) throws IOException {
        byte[] le = readBytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** A GLOBAL operand: text up to the newline. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = u8(); c != '\n'; c = u8()) {
            if (sb.length() > 256) {
                throw fail("has an overlong GLOBAL name");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private CheckpointFormatException fail(String what) {
        return new CheckpointFormatException(source + " " + what);
    }
}
