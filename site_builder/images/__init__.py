"""Local images made fit for the web with Pillow: probed safely, resized into responsive derivatives
(WebP and the original format, EXIF orientation applied, metadata stripped) and social crops, cached by
content hash and processing settings (``process``, ``store``), and the index that lets a build know an
unchanged image without reading it (``index``)."""
