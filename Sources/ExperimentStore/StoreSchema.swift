/// The store's schema as this build writes it: the number of its migrations (schema/*.sql,
/// embedded in `SchemaMigrations`), and the identifier of the last.
public enum StoreSchema {
    /// 4 for `001_initial` … `004_checksums`: grows by one with each migration added.
    public static let version = SchemaMigrations.all.count
    public static let latestMigration = SchemaMigrations.all.last?.id ?? ""
}
