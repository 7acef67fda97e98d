package dev.eventsource.store.postgres.internal;

import dev.eventsource.store.Lease;
import dev.eventsource.store.PartitionLeases;
import dev.eventsource.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The SQL of partition leases ({@link PartitionLeases}) on the tables {@code projection_leases} (one
 * row per partition: owner, fencing epoch, expiry, failure) and {@code projection_members} (one row
 * per live instance). Every operation is one statement in auto-commit mode, so one round trip on one
 * borrowed connection; {@link #fence} and {@link #revoke} run inside the caller's transaction instead.
 * Every expiry is computed and judged by the database's {@code clock_timestamp()}, never the JVM's.
 *
 * <p>Row locks, and why nothing waits for long:
 * <ul>
 *   <li>A fenced write locks its lease row {@code FOR KEY SHARE} where owner and epoch still match
 *       ({@link #fence}); that lock does not stop the owner renewing the row (an {@code UPDATE} of
 *       non-key columns takes {@code FOR NO KEY UPDATE}, which it allows) but stops a claim.</li>
 *   <li>A claim locks the free or run-out rows it takes {@code FOR UPDATE SKIP LOCKED}: it passes
 *       over a row whose fenced transaction is in flight (and rows another claim is taking) and never
 *       waits.</li>
 *   <li>A heartbeat locks the instance's own rows {@code FOR NO KEY UPDATE SKIP LOCKED}: the only
 *       rows it can find locked against it are being claimed (they ran out) or revoked, so it passes
 *       over them (they are not in {@code held}) instead of blocking the instance's lease thread.</li>
 *   <li>A revocation ({@link #revoke}) locks every row of the projection {@code FOR UPDATE} in
 *       partition order: it waits for the fenced transactions in flight, and two revocations cannot
 *       deadlock. {@link #leave} waits the same way, in the same order.</li>
 * </ul>
 *
 * <pre>{@code
 * Leases leases = new Leases(dataSource, names);
 * List<Lease> mine = leases.claim("order-summary", 8, "web-1:4711", 4, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Thread-safe: stateless apart from the SQL texts.
 */
public final class Leases {

    private static final String LEASE_COLUMNS = "partition, owner, epoch, expires_at, failure";
    /** Locks one lease row against claims if it is still held at its epoch; parameters: projection, partition, owner, epoch. */
    private static final String HELD = "SELECT projection, partition FROM %s"
            + " WHERE projection = ? AND partition = ? AND owner = ? AND epoch = ? FOR KEY SHARE";

    /**
     * {@link #HELD} for the first statement of a fenced transaction: it also sets the transaction's
     * {@code idle_in_transaction_session_timeout} to the time the lease has left (at least
     * {@value #MIN_IDLE_MILLIS} ms). A process that freezes inside the transaction (a long pause, a
     * frozen VM) would otherwise hold the row lock, and so the partition, for as long as its
     * connection looks alive; this way the server ends the session about when the lease runs out,
     * and the partition can be claimed.
     */
    private static final String FENCE = "SELECT set_config('idle_in_transaction_session_timeout',"
            + " greatest(%d, ceil(extract(epoch FROM expires_at - clock_timestamp()) * 1000))::bigint::text, true)"
            + " FROM %s WHERE projection = ? AND partition = ? AND owner = ? AND epoch = ? FOR KEY SHARE";
    /** The shortest idle time a fenced transaction is allowed, however little its lease has left. */
    public static final int MIN_IDLE_MILLIS = 5_000;

    private final DataSource dataSource;
    private final PgNames names;
    private final String heldSql;
    private final String fenceSql;
    private final String heartbeatSql;
    private final String claimSql;
    private final String releaseSql;
    private final String leaveSql;
    private final String markStoppedSql;
    private final String leasesSql;
    private final String revokeSql;

    /** The lease SQL for the tables named by {@code names}, run on connections from {@code dataSource}. */
    public Leases(DataSource dataSource, PgNames names) {
        this.dataSource = dataSource;
        this.names = names;
        String leases = names.sql().leases();
        String members = names.sql().members();
        this.heldSql = String.format(HELD, leases);
        this.fenceSql = String.format(FENCE, MIN_IDLE_MILLIS, leases);
        // Renews the membership, forgets members whose heartbeats stopped, renews every lease the instance holds
        // below the partition count, and counts the live members; one row even when it holds nothing.
        // The instance's own member row is written before other members' rows are locked for deletion
        // (departed reads member's output, so member runs first): two run-out instances whose heartbeats meet
        // would otherwise each lock the other's row for deletion and then wait on it to upsert their own, a
        // deadlock; this way each has its own row locked, and the other's delete skips it.
        this.heartbeatSql = arguments("")
                + ", member AS (INSERT INTO " + members + " (projection, instance_id, expires_at)"
                + " SELECT projection, instance, until FROM a"
                + " ON CONFLICT (projection, instance_id) DO UPDATE SET expires_at = excluded.expires_at RETURNING 1)"
                + ", departed AS (DELETE FROM " + members + " WHERE (projection, instance_id) IN"
                + " (SELECT m.projection, m.instance_id FROM " + members + " m, a WHERE m.projection = a.projection"
                + " AND m.instance_id <> a.instance AND m.expires_at <= clock_timestamp()"
                + " AND EXISTS (SELECT FROM member) FOR UPDATE OF m SKIP LOCKED))"
                + ", mine AS (SELECT l.partition FROM " + leases + " l, a WHERE l.projection = a.projection"
                + " AND l.owner = a.instance AND l.partition < a.partitions FOR NO KEY UPDATE OF l SKIP LOCKED)"
                + ", renewed AS (UPDATE " + leases + " l SET expires_at = a.until FROM a, mine"
                + " WHERE l.projection = a.projection AND l.partition = mine.partition AND l.owner = a.instance"
                + " RETURNING l.partition, l.owner, l.epoch, l.expires_at, l.failure)"
                // this instance's own row is not in the statement's snapshot when it is new: count it as 1
                + " SELECT n.instances, r." + LEASE_COLUMNS.replace(", ", ", r.") + " FROM (SELECT 1 + count(*) AS instances"
                + " FROM " + members + " m, a WHERE m.projection = a.projection AND m.instance_id <> a.instance"
                + " AND m.expires_at > clock_timestamp()) n LEFT JOIN renewed r ON true ORDER BY r.partition";
        // Takes free or run-out rows, lowest first, at the next epoch; creates the rows of partitions that have none
        // (the first of them claimed, up to max, the others free).
        this.claimSql = arguments(", ?::integer AS max")
                + ", free AS (SELECT l.partition FROM " + leases + " l, a WHERE l.projection = a.projection"
                + " AND l.partition < a.partitions AND (l.owner IS NULL OR l.expires_at <= clock_timestamp())"
                + " ORDER BY l.partition LIMIT (SELECT max FROM a) FOR UPDATE OF l SKIP LOCKED)"
                + ", taken AS (UPDATE " + leases + " l SET owner = a.instance, epoch = l.epoch + 1, expires_at = a.until,"
                + " failure = NULL FROM a, free WHERE l.projection = a.projection AND l.partition = free.partition"
                + " RETURNING l.partition, l.owner, l.epoch, l.expires_at, l.failure)"
                + ", missing AS (SELECT p, row_number() OVER (ORDER BY p) <= a.max - (SELECT count(*) FROM free) AS mine"
                + " FROM a, generate_series(0, a.partitions - 1) p"
                + " WHERE NOT EXISTS (SELECT FROM " + leases + " l WHERE l.projection = a.projection AND l.partition = p))"
                + ", created AS (INSERT INTO " + leases + " (projection, partition, owner, epoch, expires_at)"
                + " SELECT a.projection, m.p, CASE WHEN m.mine THEN a.instance END, CASE WHEN m.mine THEN 1 ELSE 0 END,"
                + " CASE WHEN m.mine THEN a.until END FROM a, missing m ORDER BY m.p"
                + " ON CONFLICT (projection, partition) DO NOTHING RETURNING " + LEASE_COLUMNS + ")"
                + " SELECT * FROM taken UNION ALL SELECT * FROM created WHERE owner IS NOT NULL ORDER BY partition";
        this.releaseSql = "UPDATE " + leases + " SET owner = NULL, expires_at = NULL"
                + " WHERE projection = ? AND partition = ? AND owner = ? AND epoch = ?";
        this.leaveSql = "WITH a AS (SELECT ?::text AS projection, ?::text AS instance)"
                + ", mine AS (SELECT l.partition FROM " + leases + " l, a WHERE l.projection = a.projection"
                + " AND l.owner = a.instance ORDER BY l.partition FOR NO KEY UPDATE OF l)"
                + ", released AS (UPDATE " + leases + " l SET owner = NULL, expires_at = NULL FROM a, mine"
                + " WHERE l.projection = a.projection AND l.partition = mine.partition AND l.owner = a.instance)"
                + " DELETE FROM " + members + " m USING a WHERE m.projection = a.projection AND m.instance_id = a.instance";
        this.markStoppedSql = "UPDATE " + leases + " SET failure = ?"
                + " WHERE projection = ? AND partition = ? AND owner = ? AND epoch = ?";
        this.leasesSql = "SELECT " + LEASE_COLUMNS + " FROM " + leases + " WHERE projection = ? ORDER BY partition";
        this.revokeSql = "WITH r AS (SELECT projection, partition FROM " + leases + " WHERE projection = ?"
                + " ORDER BY partition FOR UPDATE)"
                + " UPDATE " + leases + " l SET owner = NULL, expires_at = NULL, failure = NULL, epoch = l.epoch + 1"
                + " FROM r WHERE l.projection = r.projection AND l.partition = r.partition";
    }

    /** See {@link PartitionLeases#heartbeat}. */
    public PartitionLeases.Membership heartbeat(String projection, int partitions, String instanceId, Duration timeout) {
        long millis = checkArguments(projection, partitions, instanceId, timeout);
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(heartbeatSql)) {
            bindArguments(ps, projection, instanceId, partitions, millis);
            try (ResultSet rs = ps.executeQuery()) {
                int instances = 1;
                List<Lease> held = new ArrayList<>();
                while (rs.next()) {
                    instances = rs.getInt(1);
                    rs.getInt(2);
                    if (!rs.wasNull()) {
                        held.add(lease(projection, rs, 2));
                    }
                }
                return new PartitionLeases.Membership(instances, List.copyOf(held));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot renew the membership and leases of instance " + instanceId + " on projection "
                    + projection + " in " + names.members() + " and " + names.leases() + ": " + e.getMessage(), e);
        }
    }

    /** See {@link PartitionLeases#claim}. */
    public List<Lease> claim(String projection, int partitions, String instanceId, int max, Duration timeout) {
        long millis = checkArguments(projection, partitions, instanceId, timeout);
        if (max <= 0) {
            return List.of();
        }
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(claimSql)) {
            bindArguments(ps, projection, instanceId, partitions, millis);
            ps.setInt(5, max);
            return leases(projection, ps);
        } catch (SQLException e) {
            throw new StoreException("cannot claim up to " + max + " of the " + partitions + " partitions of projection "
                    + projection + " for instance " + instanceId + " in " + names.leases() + ": " + e.getMessage(), e);
        }
    }

    /** See {@link PartitionLeases#release}. */
    public void release(Lease lease) {
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(releaseSql)) {
            bindLease(ps, 1, lease).executeUpdate();
        } catch (SQLException e) {
            throw failure("release", lease, e);
        }
    }

    /** See {@link PartitionLeases#leave}. */
    public void leave(String projection, String instanceId) {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(instanceId, "instanceId");
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(leaveSql)) {
            ps.setString(1, projection);
            ps.setString(2, instanceId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot release the leases of instance " + instanceId + " on projection " + projection
                    + " and end its membership in " + names.leases() + " and " + names.members() + ": " + e.getMessage(), e);
        }
    }

    /** See {@link PartitionLeases#markStopped}. */
    public void markStopped(Lease lease, String failure) {
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(markStoppedSql)) {
            ps.setString(1, failure);
            bindLease(ps, 2, lease).executeUpdate();
        } catch (SQLException e) {
            throw failure("record why its owner stopped", lease, e);
        }
    }

    /** See {@link PartitionLeases#leases}. */
    public List<Lease> leases(String projection) {
        Objects.requireNonNull(projection, "projection");
        try (Connection c = Jdbc.connect(dataSource); PreparedStatement ps = c.prepareStatement(leasesSql)) {
            ps.setString(1, projection);
            return leases(projection, ps);
        } catch (SQLException e) {
            throw new StoreException("cannot read the leases of projection " + projection + " from " + names.leases() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * In {@code c}'s transaction, locks the lease row against claims until the transaction ends, if
     * {@code lease} is still held at its epoch (whether or not it ran out: no one else has claimed it),
     * and bounds how long the transaction may sit idle by the time the lease has left (see
     * {@link #FENCE}).
     *
     * @return whether it is
     */
    public boolean fence(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(fenceSql)) {
            try (ResultSet rs = bindLease(ps, 1, lease).executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * {@link #fence} as a common table expression named {@code held} (columns {@code projection,
     * partition}) for a statement that writes only while the lease is held; bind the lease with
     * {@link #bindLease} from parameter 1.
     */
    public String held() {
        return "WITH held AS (" + heldSql + ")";
    }

    /**
     * In {@code c}'s transaction, revokes every lease of {@code projection}: the owner is cleared and
     * the epoch grows by one, so no fenced write from before commits after it. Waits for the fenced
     * transactions in flight; the rows stay locked against claims and renewals until the transaction
     * ends.
     */
    public void revoke(Connection c, String projection) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(revokeSql)) {
            ps.setString(1, projection);
            ps.executeUpdate();
        }
    }

    /** Binds the lease's projection, partition, owner and epoch from parameter {@code first}; returns {@code ps}. */
    public static PreparedStatement bindLease(PreparedStatement ps, int first, Lease lease) throws SQLException {
        ps.setString(first, lease.projection());
        ps.setInt(first + 1, lease.partition());
        ps.setString(first + 2, lease.owner());
        ps.setLong(first + 3, lease.epoch());
        return ps;
    }

    /**
     * The arguments of an instance's statement as the row {@code a}, bound once ({@link #bindArguments}): projection,
     * instance, partitions and {@code until}, the database's now plus the timeout; then {@code more} columns.
     */
    private static String arguments(String more) {
        return "WITH a AS (SELECT ?::text AS projection, ?::text AS instance, ?::integer AS partitions,"
                + " clock_timestamp() + ?::bigint * interval '1 millisecond' AS until" + more + ")";
    }

    private static void bindArguments(PreparedStatement ps, String projection, String instanceId, int partitions, long millis)
            throws SQLException {
        ps.setString(1, projection);
        ps.setString(2, instanceId);
        ps.setInt(3, partitions);
        ps.setLong(4, millis);
    }

    private static List<Lease> leases(String projection, PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<Lease> leases = new ArrayList<>();
            while (rs.next()) {
                leases.add(lease(projection, rs, 1));
            }
            return List.copyOf(leases);
        }
    }

    /** The lease in columns {@code first..first+4}: partition, owner, epoch, expires_at, failure. */
    private static Lease lease(String projection, ResultSet rs, int first) throws SQLException {
        OffsetDateTime expires = rs.getObject(first + 3, OffsetDateTime.class);
        return new Lease(projection, rs.getInt(first), rs.getString(first + 1), rs.getLong(first + 2),
                expires == null ? null : expires.toInstant(), rs.getString(first + 4));
    }

    private StoreException failure(String doing, Lease lease, SQLException e) {
        return new StoreException("cannot " + doing + " partition " + lease.partition() + " of projection " + lease.projection()
                + " (instance " + lease.owner() + ", epoch " + lease.epoch() + ") in " + names.leases() + ": " + e.getMessage(), e);
    }

    /** Validates what an instance's statements take; returns the timeout in milliseconds. */
    private static long checkArguments(String projection, int partitions, String instanceId, Duration timeout) {
        Objects.requireNonNull(projection, "projection");
        if (instanceId == null || instanceId.isEmpty()) {
            throw new IllegalArgumentException("instance id must not be null or empty: " + (instanceId == null ? "null" : "''")
                    + " on projection " + projection);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions + " on projection " + projection);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("lease timeout must be at least 1 ms: " + timeout + " on projection " + projection);
        }
        return timeout.toMillis();
    }
}
