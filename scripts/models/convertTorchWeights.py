"""
Converts a PyTorch state dict saved in the legacy format (torch.save before PyTorch 1.6: a pickle, then each tensor
storage's raw bytes) into the form src/ai/efficientNetLite.ts loads: weights.bin (float32 values, little-endian, one
tensor after another in the state dict's order) and manifest.json ([{name, shape, offset}], offsets in bytes).

It reads the file with the standard library only, no PyTorch: the unpickler accepts exactly what a state dict holds
(an OrderedDict of tensors over float and int64 storages) and refuses anything else, so the file cannot run code.
Tensors are written in their logical (PyTorch) order whatever their storage's strides; int64 ones
(num_batches_tracked) are left out.

    python3 convertTorchWeights.py <state_dict.pth> <output folder>
"""
import array
import collections
import json
import os
import pickle
import struct
import sys

ELEMENT_BYTES = {"FloatStorage": 4, "LongStorage": 8}


class StoredTensor:
    def __init__(self, key, offset, size, stride):
        self.key, self.offset, self.size, self.stride = key, offset, tuple(size), tuple(stride)


class StateDictReader(pickle.Unpickler):
    def __init__(self, file):
        super().__init__(file)
        self.storage_types = {}

    def find_class(self, module, name):
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor"):
            return lambda storage, offset, size, stride, *rest: StoredTensor(storage, offset, size, stride)
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        if module == "torch" and name in ELEMENT_BYTES:
            return name
        raise pickle.UnpicklingError(f"not part of a state dict: {module}.{name}")

    def persistent_load(self, pid):
        _, storage_type, key, _, _ = pid[:5]
        self.storage_types[key] = storage_type
        return key


def read_state_dict(path):
    with open(path, "rb") as file:
        for _ in range(3):  # magic number, protocol version, system info
            pickle.load(file)
        reader = StateDictReader(file)
        state = reader.load()
        storages = {}
        for key in pickle.load(file):
            (count,) = struct.unpack("<q", file.read(8))
            storages[key] = file.read(count * ELEMENT_BYTES[reader.storage_types[key]])
    return state, storages, reader.storage_types


def logical_values(tensor, storage):
    values = memoryview(storage).cast("f")
    offsets = [tensor.offset]
    for size, stride in zip(tensor.size, tensor.stride):
        offsets = [base + index * stride for base in offsets for index in range(size)]
    return array.array("f", (values[offset] for offset in offsets))


def main(source, output):
    state, storages, storage_types = read_state_dict(source)
    os.makedirs(output, exist_ok=True)
    manifest = []
    with open(os.path.join(output, "weights.bin"), "wb") as weights:
        for name, tensor in state.items():
            if storage_types[tensor.key] != "FloatStorage":
                continue
            values = logical_values(tensor, storages[tensor.key])
            if sys.byteorder != "little":
                values.byteswap()
            manifest.append({"name": name, "shape": list(tensor.size), "offset": weights.tell()})
            weights.write(values.tobytes())
    with open(os.path.join(output, "manifest.json"), "w") as file:
        json.dump(manifest, file)
    print(f"{len(manifest)} tensors written to {output}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
