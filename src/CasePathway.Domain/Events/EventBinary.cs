using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CasePathway.Domain.Time;
using NodaTime;

namespace CasePathway.Domain.Events;

/// <summary>
/// A compact binary form of an event for a process's own scratch space (an import's events set aside in its database
/// session and read back by the same run): every value as it is, nothing validated on reading — an event written here
/// was checked before it was written and is checked again at the door when it is appended. Not the contract, not
/// stored, not read by anything but the run that wrote it: the JSON envelope (<see cref="EventJson"/>) is the
/// exchange form. Reading back through JSON cost an import about a fifth of its own CPU (docs/performance.md).
/// </summary>
public static class EventBinary
{
    /// <summary>Writes <paramref name="e"/> after whatever <paramref name="w"/> already holds.</summary>
    public static void Write(ref BinaryFormWriter w, PathwayEvent e)
    {
        w.Guid(e.Id);
        w.String(e.Tenant);
        w.String(e.Child);
        w.Occurrence(e.OccurredAt);
        w.Byte(e.RecordedAt is null ? (byte)0 : (byte)1);
        if (e.RecordedAt is { } recorded) w.Instant(recorded);
        w.String(e.RecordedBy);
        w.String(e.SourceSystem);
        w.String(e.SourceKey);
        w.String(e.CorrelationId);
        WriteData(ref w, e.Data);
    }

    public static PathwayEvent Read(ref BinaryFormReader r)
    {
        var id = r.Guid();
        var tenant = r.String()!;
        var child = r.String()!;
        var occurred = r.Occurrence();
        Instant? recorded = r.Byte() == 1 ? r.Instant() : null;
        var recordedBy = r.String();
        var sourceSystem = r.String();
        var sourceKey = r.String();
        var correlationId = r.String();
        var data = ReadData(ref r);
        return new PathwayEvent(id, tenant, child, occurred, data, recorded, recordedBy, sourceSystem, sourceKey, correlationId);
    }

    private static void WriteData(ref BinaryFormWriter w, IPathwayEventData data)
    {
        var shape = EventDataShape.Of(data.GetType());
        w.String(EventTypes.NameOf(data));
        foreach (var field in shape.Fields)
        {
            var value = field.Read(data);
            if (value is Attendance { Police: null, Health: null, Education: null }) value = null; // one form for "none", as the JSON has
            w.Byte(value is null ? (byte)0 : (byte)1);
            if (value is null) continue;
            switch (field.Kind)
            {
                case DataFieldKind.Text: w.String((string)value); break;
                case DataFieldKind.Flag: w.Byte((bool)value ? (byte)1 : (byte)0); break;
                case DataFieldKind.Uuid: w.Guid((Guid)value); break;
                case DataFieldKind.Choice: w.Int64(Convert.ToInt64(value)); break;
                case DataFieldKind.Attendance:
                    var a = (Attendance)value;
                    w.Byte(Flag(a.Police));
                    w.Byte(Flag(a.Health));
                    w.Byte(Flag(a.Education));
                    break;
            }
        }

        static byte Flag(bool? b) => b switch { null => 0, false => 1, true => 2 };
    }

    private static IPathwayEventData ReadData(ref BinaryFormReader r)
    {
        var name = r.String()!;
        var type = EventTypes.TypeOf(name) ?? throw new InvalidDataException($"'{name}' is not a known event type");
        var shape = EventDataShape.Of(type);
        var values = new object?[shape.Fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (r.Byte() == 0) continue;
            var field = shape.Fields[i];
            values[i] = field.Kind switch
            {
                DataFieldKind.Text => r.String(),
                DataFieldKind.Flag => r.Byte() == 1,
                DataFieldKind.Uuid => r.Guid(),
                DataFieldKind.Choice => Enum.ToObject(field.ClrType, r.Int64()),
                _ => new Attendance(Flag(r.Byte()), Flag(r.Byte()), Flag(r.Byte())),
            };
        }
        return shape.Create(values);

        static bool? Flag(byte b) => b switch { 0 => null, 1 => false, _ => true };
    }
}

/// <summary>Writes the values of <see cref="EventBinary"/>'s form (and a caller's own around it) into a buffer.</summary>
public ref struct BinaryFormWriter(IBufferWriter<byte> buffer)
{
    private readonly IBufferWriter<byte> _buffer = buffer;

    public void Byte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    public void Int32(int n)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), n);
        _buffer.Advance(4);
    }

    public void Int64(long n)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), n);
        _buffer.Advance(8);
    }

    public void Guid(Guid id)
    {
        id.TryWriteBytes(_buffer.GetSpan(16));
        _buffer.Advance(16);
    }

    /// <summary>Null, or the UTF-16 code units as they are (a lone surrogate survives, as it must to read back the same string).</summary>
    public void String(string? s)
    {
        if (s is null)
        {
            Int32(-1);
            return;
        }
        Int32(s.Length);
        var bytes = s.Length * 2;
        var span = _buffer.GetSpan(bytes);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(s.AsSpan()).CopyTo(span);
        _buffer.Advance(bytes);
    }

    public void Instant(Instant instant)
    {
        var since = instant - NodaConstants.UnixEpoch;
        Int32(since.Days);
        Int64(since.NanosecondOfDay);
    }

    public void Occurrence(Occurrence o)
    {
        if (o.Instant is { } i)
        {
            Byte(1);
            Instant(i);
        }
        else
        {
            Byte(0);
            Int32(o.Date.DayOfYear);
            Int32(o.Date.Year);
        }
    }
}

/// <summary>Reads what <see cref="BinaryFormWriter"/> wrote, in the same order.</summary>
public ref struct BinaryFormReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _at;

    public byte Byte() => _bytes[_at++];

    public int Int32()
    {
        var n = BinaryPrimitives.ReadInt32LittleEndian(_bytes[_at..]);
        _at += 4;
        return n;
    }

    public long Int64()
    {
        var n = BinaryPrimitives.ReadInt64LittleEndian(_bytes[_at..]);
        _at += 8;
        return n;
    }

    public Guid Guid()
    {
        var id = new Guid(_bytes.Slice(_at, 16));
        _at += 16;
        return id;
    }

    public string? String()
    {
        var length = Int32();
        if (length < 0) return null;
        var s = new string(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, char>(_bytes.Slice(_at, length * 2)));
        _at += length * 2;
        return s;
    }

    public Instant Instant()
    {
        var days = Int32();
        var nanos = Int64();
        return NodaConstants.UnixEpoch + Duration.FromDays(days) + Duration.FromNanoseconds(nanos);
    }

    public Occurrence Occurrence()
    {
        if (Byte() == 1) return Time.Occurrence.At(Instant());
        var dayOfYear = Int32();
        var year = Int32();
        return Time.Occurrence.On(new LocalDate(year, 1, 1).PlusDays(dayOfYear - 1));
    }
}
