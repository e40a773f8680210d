import Foundation

/// gpus's state folder (`$XDG_STATE_HOME/gpus`) and the databases in it are the user's alone: the
/// ledger names what runs created and where, the sandbox's state holds its resources. The modes are
/// enforced each time they are opened, also when the folder or a file already existed with wider
/// ones. (Here because the ledger and the sandbox both open such files, and both use this module.)
public enum PrivateFiles {
    /// Makes `database` and its `-wal` and `-shm` companions 0600 (creating a missing database
    /// empty first, so the database library never creates it with the process's umask), and the
    /// folder 0700 when it is gpus's own state folder (`stateFolder`): a file the user placed
    /// elsewhere (`--state /tmp/x.sqlite`) never changes its folder's mode. Only what this user owns
    /// is changed; a symlink is left alone.
    public static func restrict(database: String, stateFolder: String?) {
        let me = getuid()
        var info = stat()
        let folder = URL(fileURLWithPath: database).deletingLastPathComponent().standardizedFileURL.path
        if let stateFolder, URL(fileURLWithPath: stateFolder).standardizedFileURL.path == folder,
            lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == me,
            info.st_mode & 0o777 != 0o700
        {
            chmod(folder, 0o700)
        }
        let descriptor = open(database, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        for file in [database, database + "-wal", database + "-shm"] {
            if lstat(file, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == me,
                info.st_mode & 0o777 != 0o600
            {
                chmod(file, 0o600)
            }
        }
    }
}
