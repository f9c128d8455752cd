FROM gcr.io/distroless/python3
COPY . /app
WORKDIR /app
CMD ["hello.py", "/etc"]
