package org.contssl.model.io;

/**
 * The element types a PyTorch checkpoint can hold, with the names each format uses for them: torch's legacy storage
 * class ({@code torch.FloatStorage}, what {@code torch.save} pickles), the safetensors dtype string, and the element
 * width in bytes.
 */
public enum TorchDtype {
    FLOAT32("FloatStorage", "F32", 4),
    FLOAT64("DoubleStorage", "F64", 8),
    FLOAT16("HalfStorage", "F16", 2),
    BFLOAT16("BFloat16Storage", "BF16", 2),
    INT64("LongStorage", "I64", 8),
    INT32("IntStorage", "I32", 4),
    INT16("ShortStorage", "I16", 2),
    INT8("CharStorage", "I8", 1),
    UINT8("ByteStorage", "U8", 1),
    BOOL("BoolStorage", "BOOL", 1);

    private final String storageClass;
    private final String safetensorsName;
    private final int bytes;

    TorchDtype(String storageClass, String safetensorsName, int bytes) {
        this.storageClass = storageClass;
        this.safetensorsName = safetensorsName;
        this.bytes = bytes;
    }

    /** The class name inside module {@code torch} that {@code torch.save} pickles for storages of this type. */
    public String storageClass() {
        return storageClass;
    }

    public String safetensorsName() {
        return safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the types contssl can take weights from (converted to float32). */
    public boolean floating() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** The type of a {@code torch.<name>} storage class, or null if {@code name} is not one. */
    public static TorchDtype ofStorageClass(String name) {
        for (TorchDtype t : values()) {
            if (t.storageClass.equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a safetensors dtype string, or null if contssl does not know it. */
    public static TorchDtype ofSafetensors(String name) {
        for (TorchDtype t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
