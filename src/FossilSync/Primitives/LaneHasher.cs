namespace FossilSync.Primitives;

/// <summary>
/// Hashes several messages at once, one in each lane of a SIMD register: the compression
/// function runs on every lane together, and each lane is fed its own message block by block.
/// A message may start in any free lane while the others are midway through theirs, so lanes
/// stay busy however the messages' lengths differ. Subclasses supply the algorithm (its block
/// size, padding, compression function and digest); this class only schedules.
/// </summary>
/// <remarks>
/// Why: a clone must hash every artifact it receives (SHA3-256 of gigabytes) and check the MD5
/// of every manifest, and one message at a time those are serial chains of rounds that leave
/// most of a modern core's vector width unused. Side by side in eight or sixteen lanes, the same
/// work takes a fraction of the time. Not thread-safe: one instance belongs to one thread.
/// </remarks>
/// <typeparam name="TTag">What the caller wants back with each digest (which artifact it was).</typeparam>
internal abstract class LaneHasher<TTag>
{
    private readonly Lane[] _lanes;
    private readonly Stack<int> _free = new();
    private readonly int _blockSize;

    /// <param name="laneCount">Messages hashed side by side.</param>
    /// <param name="blockSize">Bytes absorbed per lane in one step.</param>
    /// <param name="digestSize">Bytes of each digest.</param>
    protected LaneHasher(int laneCount, int blockSize, int digestSize)
    {
        _blockSize = blockSize;
        DigestSize = digestSize;
        _lanes = new Lane[laneCount];
        for (int i = laneCount - 1; i >= 0; i--)
        {
            _lanes[i] = new Lane(new byte[2 * blockSize]);
            _free.Push(i);
        }
    }

    /// <summary>Bytes of each digest.</summary>
    public int DigestSize { get; }

    /// <summary>True when another message can start now.</summary>
    public bool HasFreeLane => _free.Count > 0;

    /// <summary>How many messages can start now.</summary>
    public int FreeLanes => _free.Count;

    /// <summary>True when no message is being hashed.</summary>
    public bool IsIdle => _free.Count == _lanes.Length;

    /// <summary>Starts hashing <paramref name="message"/> in a free lane (check <see cref="HasFreeLane"/> first).</summary>
    /// <exception cref="InvalidOperationException">Every lane is busy.</exception>
    public void Start(ReadOnlyMemory<byte> message, TTag tag)
    {
        if (!_free.TryPop(out int index)) throw new InvalidOperationException("every lane is busy.");
        ResetLane(index);
        ref var lane = ref _lanes[index];
        lane.Message = message;
        lane.Offset = 0;
        lane.TailBlocks = -1;
        lane.TailNext = 0;
        lane.Tag = tag;
        lane.Busy = true;
    }

    /// <summary>
    /// Feeds one block to every busy lane and compresses them all; each message that this
    /// finishes is added to <paramref name="finished"/> with its digest, and its lane is free again.
    /// </summary>
    public void Step(List<(TTag Tag, byte[] Digest)> finished)
    {
        if (IsIdle) return;
        Span<bool> ending = stackalloc bool[_lanes.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            ref var lane = ref _lanes[i];
            if (!lane.Busy) continue;
            int length = lane.Message.Length;
            if (lane.TailBlocks < 0 && lane.Offset + _blockSize <= length)
            {
                LoadBlock(i, lane.Message.Span.Slice(lane.Offset, _blockSize));
                lane.Offset += _blockSize;
                continue;
            }
            if (lane.TailBlocks < 0)
            {
                // The last partial block and the padding: one block or two.
                Array.Clear(lane.Tail);
                var rest = lane.Message.Span[lane.Offset..];
                rest.CopyTo(lane.Tail);
                lane.TailBlocks = WritePadding(lane.Tail, rest.Length, length) / _blockSize;
            }
            LoadBlock(i, lane.Tail.AsSpan(lane.TailNext * _blockSize, _blockSize));
            lane.TailNext++;
            ending[i] = lane.TailNext == lane.TailBlocks;
        }
        Compress();
        for (int i = 0; i < _lanes.Length; i++)
        {
            if (!ending[i]) continue;
            ref var lane = ref _lanes[i];
            var digest = new byte[DigestSize];
            ReadDigest(i, digest);
            finished.Add((lane.Tag, digest));
            lane.Busy = false;
            lane.Message = default;
            lane.Tag = default!;
            _free.Push(i);
        }
    }

    /// <summary>Sets a lane to the algorithm's initial state.</summary>
    protected abstract void ResetLane(int lane);

    /// <summary>Puts one block of a lane's message where the next <see cref="Compress"/> takes it.</summary>
    protected abstract void LoadBlock(int lane, ReadOnlySpan<byte> block);

    /// <summary>Runs the compression function on every lane at once.</summary>
    protected abstract void Compress();

    /// <summary>Copies a lane's digest out after its last block.</summary>
    protected abstract void ReadDigest(int lane, Span<byte> digest);

    /// <summary>
    /// Appends the algorithm's padding to the <paramref name="rest"/> bytes already at the start
    /// of <paramref name="tail"/> (a zeroed buffer of two blocks) for a message of
    /// <paramref name="messageLength"/> bytes; returns the tail's length, one block or two.
    /// </summary>
    protected abstract int WritePadding(Span<byte> tail, int rest, long messageLength);

    private struct Lane(byte[] tail)
    {
        public readonly byte[] Tail = tail;
        public ReadOnlyMemory<byte> Message;
        public int Offset;
        public int TailBlocks;
        public int TailNext;
        public TTag Tag = default!;
        public bool Busy;
    }
}
