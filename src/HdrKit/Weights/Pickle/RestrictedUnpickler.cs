using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace HdrKit.Weights.Pickle;

/// <summary>
/// A pickle reader that builds plain data and never imports or calls anything. It understands the opcodes
/// torch.save emits (protocol 2, plus the protocol 4 framing opcodes): containers become
/// <see cref="OrderedDictionary{TKey,TValue}"/> (dict), <see cref="List{T}"/> (list) and object?[] (tuple);
/// str → string, int → long, float → double, bool, None → null, bytes → byte[].
///
/// Python objects appear only through GLOBAL, REDUCE and BINPERSID, and all three go through the caller:
/// <paramref name="allowGlobal"/> decides which globals may appear at all, <paramref name="reduce"/> turns an
/// allowed global applied to its arguments into data, <paramref name="persistentLoad"/> resolves persistent ids
/// (torch storages). Everything else — NEWOBJ, INST, OBJ, EXT* — is refused, so a crafted pickle can at worst
/// fail to load.
/// </summary>
internal sealed class RestrictedUnpickler(
    Func<PickleGlobal, bool> allowGlobal,
    Func<PickleGlobal, object?[], object?> reduce,
    Func<object?, object?> persistentLoad,
    string source)
{
    public object? Load(ReadOnlySpan<byte> data)
    {
        var stack = new List<object?>();
        var memo = new Dictionary<long, object?>();
        int pos = 0;

        while (true)
        {
            if (pos >= data.Length) throw Bad("ends without a STOP opcode", pos);
            int at = pos;
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: pos += 1; break;                                   // PROTO
                case 0x95: pos += 8; break;                                   // FRAME: framing only, data follows inline
                case 0x2e:                                                    // STOP
                    if (stack.Count != 1) throw Bad($"STOP with {stack.Count} values on the stack", at);
                    return stack[0];
                case 0x28: stack.Add(PickleMark.Instance); break;             // MARK
                case 0x7d: stack.Add(new OrderedDictionary<object, object?>()); break; // EMPTY_DICT
                case 0x5d: stack.Add(new List<object?>()); break;            // EMPTY_LIST
                case 0x29: stack.Add(Array.Empty<object?>()); break;         // EMPTY_TUPLE
                case 0x74: stack.Add(PopToMark(stack, at).ToArray()); break; // TUPLE
                case 0x85: stack.Add(PopN(stack, 1, at)); break;             // TUPLE1
                case 0x86: stack.Add(PopN(stack, 2, at)); break;             // TUPLE2
                case 0x87: stack.Add(PopN(stack, 3, at)); break;             // TUPLE3
                case 0x4e: stack.Add(null); break;                            // NONE
                case 0x88: stack.Add(true); break;                            // NEWTRUE
                case 0x89: stack.Add(false); break;                           // NEWFALSE
                case 0x4a: stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(data, ref pos, 4))); break;  // BININT
                case 0x4b: stack.Add((long)Take(data, ref pos, 1)[0]); break;                                   // BININT1
                case 0x4d: stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(data, ref pos, 2))); break; // BININT2
                case 0x8a: stack.Add(ReadLong(Take(data, ref pos, Take(data, ref pos, 1)[0]), at)); break;          // LONG1
                case 0x47: stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(data, ref pos, 8))); break;          // BINFLOAT
                case 0x58: stack.Add(Utf8(Take(data, ref pos, Length32(data, ref pos, at)))); break;                 // BINUNICODE
                case 0x8c: stack.Add(Utf8(Take(data, ref pos, Take(data, ref pos, 1)[0]))); break;                  // SHORT_BINUNICODE
                case 0x8d: stack.Add(Utf8(Take(data, ref pos, Length64(data, ref pos, at)))); break;                 // BINUNICODE8
                case 0x42: stack.Add(Take(data, ref pos, Length32(data, ref pos, at)).ToArray()); break;             // BINBYTES
                case 0x43: stack.Add(Take(data, ref pos, Take(data, ref pos, 1)[0]).ToArray()); break;              // SHORT_BINBYTES
                case 0x63:                                                    // GLOBAL "module\nname\n"
                {
                    var module = ReadLine(data, ref pos, at);
                    var name = ReadLine(data, ref pos, at);
                    stack.Add(Global(module, name, at));
                    break;
                }
                case 0x93:                                                    // STACK_GLOBAL
                {
                    var name = Pop(stack, at) as string ?? throw Bad("STACK_GLOBAL name is not a string", at);
                    var module = Pop(stack, at) as string ?? throw Bad("STACK_GLOBAL module is not a string", at);
                    stack.Add(Global(module, name, at));
                    break;
                }
                case 0x52:                                                    // REDUCE
                {
                    var args = Pop(stack, at) as object?[] ?? throw Bad("REDUCE arguments are not a tuple", at);
                    var callable = Pop(stack, at) as PickleGlobal ?? throw Bad("REDUCE of something that is not an allowed global", at);
                    stack.Add(reduce(callable, args));
                    break;
                }
                case 0x62:                                                    // BUILD: instance state (e.g. a state dict's _metadata); dropped
                    Pop(stack, at);
                    if (stack.Count == 0) throw Bad("BUILD on an empty stack", at);
                    break;
                case 0x51: stack.Add(persistentLoad(Pop(stack, at))); break;  // BINPERSID
                case 0x73:                                                    // SETITEM
                {
                    var value = Pop(stack, at);
                    var key = Pop(stack, at);
                    Dict(stack, at)[Key(key, at)] = value;
                    break;
                }
                case 0x75:                                                    // SETITEMS
                {
                    var items = PopToMark(stack, at);
                    if (items.Count % 2 != 0) throw Bad("SETITEMS with an odd number of values", at);
                    var dict = Dict(stack, at);
                    for (int i = 0; i < items.Count; i += 2) dict[Key(items[i], at)] = items[i + 1];
                    break;
                }
                case 0x61:                                                    // APPEND
                {
                    var value = Pop(stack, at);
                    List(stack, at).Add(value);
                    break;
                }
                case 0x65:                                                    // APPENDS
                {
                    var items = PopToMark(stack, at);
                    List(stack, at).AddRange(items);
                    break;
                }
                case 0x71: memo[Take(data, ref pos, 1)[0]] = Top(stack, at); break;                                  // BINPUT
                case 0x72: memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4))] = Top(stack, at); break; // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(stack, at); break;                                                 // MEMOIZE
                case 0x68: stack.Add(Memo(memo, Take(data, ref pos, 1)[0], at)); break;                              // BINGET
                case 0x6a: stack.Add(Memo(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4)), at)); break; // LONG_BINGET
                case 0x30: Pop(stack, at); break;                             // POP
                case 0x31: PopToMark(stack, at); break;                       // POP_MARK
                case 0x32: stack.Add(Top(stack, at)); break;                  // DUP
                default:
                    throw Bad($"uses pickle opcode 0x{op:x2}, which weights files do not need and this reader does not run", at);
            }
        }
    }

    private PickleGlobal Global(string module, string name, int at)
    {
        var g = new PickleGlobal(module, name);
        if (!allowGlobal(g))
            throw new InvalidDataException(
                $"'{source}' refers to the Python global {g} (pickle offset {at}), which is not allowed in a weights file; refusing to load it");
        return g;
    }

    private static object Key(object? key, int at) => key ?? throw new InvalidDataException($"dictionary key None at pickle offset {at}");

    private OrderedDictionary<object, object?> Dict(List<object?> stack, int at) =>
        Top(stack, at) as OrderedDictionary<object, object?> ?? throw Bad("SETITEM(S) on something that is not a dict", at);

    private List<object?> List(List<object?> stack, int at) =>
        Top(stack, at) as List<object?> ?? throw Bad("APPEND(S) on something that is not a list", at);

    private object? Memo(Dictionary<long, object?> memo, long index, int at) =>
        memo.TryGetValue(index, out var v) ? v : throw Bad($"memo entry {index} was never stored", at);

    private object? Top(List<object?> stack, int at) =>
        stack.Count > 0 && stack[^1] is not PickleMark ? stack[^1] : throw Bad("underflows its stack", at);

    private object? Pop(List<object?> stack, int at)
    {
        var v = Top(stack, at);
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private object?[] PopN(List<object?> stack, int n, int at)
    {
        if (stack.Count < n || stack.Skip(stack.Count - n).Any(v => v is PickleMark)) throw Bad("underflows its stack", at);
        var items = stack.GetRange(stack.Count - n, n).ToArray();
        stack.RemoveRange(stack.Count - n, n);
        return items;
    }

    private List<object?> PopToMark(List<object?> stack, int at)
    {
        int mark = stack.FindLastIndex(v => v is PickleMark);
        if (mark < 0) throw Bad("pops to a MARK that is not there", at);
        var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
        stack.RemoveRange(mark, stack.Count - mark);
        return items;
    }

    private ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int pos, long count)
    {
        if (count < 0 || pos + count > data.Length) throw Bad("is truncated", pos);
        var span = data.Slice(pos, (int)count);
        pos += (int)count;
        return span;
    }

    private long Length32(ReadOnlySpan<byte> data, ref int pos, int at) => BinaryPrimitives.ReadUInt32LittleEndian(Take(data, ref pos, 4));

    private long Length64(ReadOnlySpan<byte> data, ref int pos, int at)
    {
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(Take(data, ref pos, 8));
        return n > int.MaxValue ? throw Bad("has a string longer than 2 GB", at) : (long)n;
    }

    private string ReadLine(ReadOnlySpan<byte> data, ref int pos, int at)
    {
        int nl = data[pos..].IndexOf((byte)'\n');
        if (nl < 0) throw Bad("GLOBAL name is not terminated", at);
        var s = Encoding.UTF8.GetString(data.Slice(pos, nl));
        pos += nl + 1;
        return s;
    }

    private long ReadLong(ReadOnlySpan<byte> bytes, int at)
    {
        var v = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        if (v < long.MinValue || v > long.MaxValue) throw Bad("has an integer outside the 64-bit range", at);
        return (long)v;
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private InvalidDataException Bad(string what, int at) => new($"'{source}': pickle at offset {at} {what}");
}
